package dev.opencx.channel.email.reply;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Finds where the signature starts in the customer's lines (quotes already removed).
 *
 * <p>In order: the RFC 3676 delimiter ({@code "-- "}, and the {@code "--"} that clients leave after
 * stripping the space) and the other rules mail clients and mailing lists put above a signature; a
 * mobile client's tagline ("Sent from my iPhone", "Von meinem iPhone gesendet" …); a "-Name" sign-off;
 * and, above any of these or at the very end, a block of signature-looking lines without a
 * delimiter. That block is judged line by line from the bottom — short lines that are a closing
 * phrase, a name, a job title or company, a phone number, an address or a link — and is a
 * signature only if it holds a name (or contact details next to a title), has the customer's text
 * above it, and stays short.
 */
final class SignatureFinder {

    static final int FLAGS = QuoteMarkers.FLAGS;

    /** Lines after an RFC 3676 delimiter; more than this is not a signature but a separator in the text. */
    private static final int MAX_AFTER_DELIMITER = 20;

    /** Lines after the softer rules ("---", "____"), which also separate parts of a text. */
    private static final int MAX_AFTER_RULE = 10;

    /** A block headed by a closing may be this many times {@code maxSignatureLines} long. */
    private static final int LONG_BLOCK_FACTOR = 3;

    private static final int MAX_LINE = 60;
    private static final int MAX_FOOTER_LINE = 100;
    private static final int MAX_CONTACT_LINE = 80;

    private static final Pattern RFC_DELIMITER = Pattern.compile("^--\\s?$");
    private static final Pattern SOFT_RULE = Pattern.compile("^(?:-{3,}|_{2,}|={3,}|—{1,3})\\s*$");

    private static final Pattern SIGNOFF_DASH_NAME = Pattern.compile(
            "^(?:-{1,2}|—|–)(?:(?<=--)\\s?|(?<=[—–])\\s?)?\\p{Lu}[\\p{L}'’.\\-]*(?:\\s+\\p{Lu}[\\p{L}'’.\\-]*){0,3}\\s*$",
            FLAGS & ~Pattern.CASE_INSENSITIVE);

    // ---------------------------------------------------------------- mobile taglines

    private static final Pattern TAGLINE_PREFIX = Pattern.compile(
            "^(?:sent (?:from|via|with|using|on)|get outlook for|envoyé (?:de|depuis|à partir de|avec|par)"
                    + "|von meinem|gesendet (?:von|vom|mit)|enviado (?:desde|do|de|a partir do|com|con)"
                    + "|enviada (?:desde|do|de)|inviato (?:da|dal|con|dal mio)|verzonden (?:met|vanaf|van)"
                    + "|verstuurd (?:vanaf|met|van)|skickat (?:från|med)|sendt (?:fra|med)|lähetetty"
                    + "|wysłane (?:z|ze)|wysłano (?:z|ze)|отправлено (?:с|из|со)|надіслано (?:з|із)"
                    + "|odesláno (?:z|ze)|odoslané (?:z|zo)|küldve|trimis (?:de pe|de la|cu|din)|αποστολή από"
                    + "|发自|來自我的|从我的|從我的|来自我的)",
            FLAGS);

    private static final Pattern DEVICE_ONLY_PREFIX = Pattern.compile("^(?:via|from my|from|on my)\\s", FLAGS);

    private static final Pattern TAGLINE_SUFFIX =
            Pattern.compile("(?:から送信|에서 보냄|gesendet|gönderildi|küldve|lähetetty|发送|傳送)\\s*[.!]?$", FLAGS);

    private static final Pattern DEVICE = Pattern.compile(
            "(?<!\\p{L})(?:iphone|ipad|ipod|ios|ipados|macos|android|blackberry|samsung|galaxy|mobile|mobil|móvil|movil|celular"
                    + "|cellulare|smartphone|phone|telefon|téléphone|telefono|teléfono|tablet|handy|outlook|mail"
                    + "|gmail|yahoo|aol|protonmail|proton|windows|huawei|xiaomi|pixel|nokia|xperia|htc|motorola"
                    + "|oneplus|device|appareil|dispositivo|gerät|spark|airmail|bluemail|edison|superhuman"
                    + "|sparrow|acompli|thunderbird|watch|portable|mobiel|mobiele|matkapuhelin|телефона|айфона"
                    + "|iphonesta|iphone-omról|iphone'umdan)",
            FLAGS);

    // ---------------------------------------------------------------- closings, greetings, names

    private static final String CLOSINGS = String.join(
            "|",
            // en
            "thanks",
            "thank you",
            "thanks again",
            "many thanks",
            "thanks a lot",
            "thanks so much",
            "thank you so much",
            "thank you very much",
            "with thanks",
            "thanks in advance",
            "thank you in advance",
            "thanks for your help",
            "thank you for your help",
            "thanks for your time",
            "thank you for your time",
            "have a nice day",
            "have a great day",
            "have a good day",
            "have a nice weekend",
            "have a great weekend",
            "thx",
            "tia",
            "regards",
            "best regards",
            "kind regards",
            "kindest regards",
            "warm regards",
            "warmest regards",
            "warm wishes",
            "best wishes",
            "all the best",
            "best",
            "cheers",
            "sincerely",
            "sincerely yours",
            "yours sincerely",
            "yours truly",
            "yours faithfully",
            "yours ever",
            "yours",
            "your friend",
            "your pal",
            "respectfully",
            "take care",
            "talk soon",
            "love",
            "greetings",
            "rgds",
            "br",
            // de
            "viele grüße",
            "viele grüsse",
            "vielen dank",
            "danke im voraus",
            "vielen dank im voraus",
            "danke",
            "danke schön",
            "mit freundlichen grüßen",
            "mit freundlichen grüssen",
            "mit freundlichem gruß",
            "freundliche grüße",
            "freundliche grüsse",
            "beste grüße",
            "beste grüsse",
            "liebe grüße",
            "liebe grüsse",
            "herzliche grüße",
            "schöne grüße",
            "gruß",
            "gruss",
            "grüße",
            "grüsse",
            "lg",
            "vg",
            "mfg",
            // fr
            "cordialement",
            "bien cordialement",
            "bien à vous",
            "merci",
            "merci beaucoup",
            "merci d'avance",
            "merci par avance",
            "salutations",
            "sincères salutations",
            "meilleures salutations",
            "bonne journée",
            "amicalement",
            "bises",
            "à bientôt",
            // es, ca
            "saludos",
            "un saludo",
            "saludos cordiales",
            "atentamente",
            "gracias",
            "muchas gracias",
            "gracias de antemano",
            "desde ya gracias",
            "un abrazo",
            "cordialmente",
            "salutacions",
            // pt
            "obrigado",
            "obrigada",
            "muito obrigado",
            "muito obrigada",
            "atenciosamente",
            "abraços",
            "abraço",
            "cumprimentos",
            "att",
            "grato",
            "grata",
            // it
            "cordiali saluti",
            "distinti saluti",
            "saluti",
            "un saluto",
            "grazie",
            "grazie mille",
            "grazie in anticipo",
            "buona giornata",
            "a presto",
            // nl
            "met vriendelijke groet",
            "met vriendelijke groeten",
            "vriendelijke groet",
            "groeten",
            "groetjes",
            "groet",
            "bedankt",
            "alvast bedankt",
            "dank je",
            "dank u",
            "mvg",
            // sv, da, no
            "med vänliga hälsningar",
            "vänliga hälsningar",
            "hälsningar",
            "mvh",
            "tack",
            "tack så mycket",
            "tack på förhand",
            "med venlig hilsen",
            "venlig hilsen",
            "med vennlig hilsen",
            "vennlig hilsen",
            "hilsen",
            "tak",
            "takk",
            "mange tak",
            "mange takk",
            // fi
            "ystävällisin terveisin",
            "terveisin",
            "kiitos",
            // pl
            "pozdrawiam",
            "serdecznie pozdrawiam",
            "z poważaniem",
            "dziękuję",
            "z góry dziękuję",
            "pozdrowienia",
            // ru, uk
            "с уважением",
            "спасибо",
            "заранее спасибо",
            "всего доброго",
            "всего хорошего",
            "с наилучшими пожеланиями",
            "з повагою",
            "дякую",
            // cs, sk
            "s pozdravem",
            "děkuji",
            "s pozdravom",
            "ďakujem",
            // tr, ro, hu, el
            "saygılarımla",
            "teşekkürler",
            "iyi çalışmalar",
            "cu stimă",
            "mulțumesc",
            "üdvözlettel",
            "köszönöm",
            "ευχαριστώ",
            "με εκτίμηση",
            // ja, zh, ko
            "よろしくお願いします",
            "よろしくお願いいたします",
            "宜しくお願いします",
            "谢谢",
            "謝謝",
            "此致",
            "祝好",
            "감사합니다");

    /** A closing phrase, optionally followed on the same line by a name or initials ("Thanks, Bill"). */
    private static final Pattern SIGNOFF = Pattern.compile(
            "^(?iu:" + CLOSINGS
                    + ")(?![\\p{L}])[\\s,.!;:—–\\-。、，！]*(?:\\p{Lu}[\\p{L}'’.\\-]*(?:\\s+\\p{Lu}[\\p{L}'’.\\-]*){0,3})?[\\s,.!。！]*$",
            Pattern.UNICODE_CHARACTER_CLASS);

    private static final Pattern SIGNOFF_HEAD = Pattern.compile("^(?:" + CLOSINGS + ")(?![\\p{L}])", FLAGS);

    private static final Pattern GREETING = Pattern.compile(
            "^(?:hi|hello|hey|dear|good (?:morning|afternoon|evening)|hallo|liebe|lieber|sehr geehrte[rs]?|moin"
                    + "|bonjour|bonsoir|salut|cher|chère|hola|estimad[oa]s?|buenos días|olá|ola|oi|prezad[oa]s?|bom dia"
                    + "|ciao|buongiorno|gentile|hej|hei|moi|hoi|beste|geachte|cześć|dzień dobry|szanown[ay]"
                    + "|здравствуйте|привет|добрый день|dobrý den|ahoj|merhaba|sayın|γεια)(?![\\p{L}])",
            FLAGS);

    /** A line that announces what follows: ends with a colon, or with "to", "is", "an", "à", "para" … */
    private static final Pattern INTRODUCES_NEXT = Pattern.compile(
            "(?:[:：]|(?<!\\p{L})(?:to|is|are|at|as|for|from|with|by|of|an|nach|ist|sind|für|à|est|sont|pour|a|es|son|para|é|são"
                    + "|è|sono|per|naar|zijn|voor|till|är|til|er|do|на|в|это)|[-–—])$",
            FLAGS);

    private static final Pattern PS = Pattern.compile("^(?:p\\.\\s?p\\.\\s?s|p\\.\\s?s|ps)\\b", FLAGS);

    /** Degrees and generational suffixes after a name and a comma. */
    private static final Pattern NAME_SUFFIX = Pattern.compile(
            "\\p{Lu}[\\p{L}.]{0,5}(?:,?\\s+\\p{Lu}[\\p{L}.]{0,5}){0,2}\\.?", Pattern.UNICODE_CHARACTER_CLASS);

    /** Particles inside names ("Ana de la Cruz", "Jan van Dijk"). */
    private static final Set<String> NAME_PARTICLES = Set.of(
            "de", "la", "le", "del", "della", "di", "da", "das", "dos", "du", "van", "von", "der", "den", "ter", "ten",
            "zu", "y", "e", "bin", "al", "el", "ben", "st.");

    /** Single words that end a reply without being anybody's name. */
    private static final Set<String> NOT_NAMES = Set.of(
            "yes",
            "no",
            "ok",
            "okay",
            "sure",
            "done",
            "agreed",
            "correct",
            "right",
            "great",
            "perfect",
            "fine",
            "cool",
            "nice",
            "urgent",
            "asap",
            "please",
            "help",
            "hi",
            "hello",
            "thanks",
            "ja",
            "nein",
            "oui",
            "non",
            "si",
            "sí",
            "não",
            "nee",
            "nej",
            "tak",
            "nie",
            "да",
            "нет",
            "attachment",
            "attachments",
            "regards",
            "best",
            "cheers",
            "bye",
            "goodbye",
            "tschüss",
            "ciao",
            "adios",
            "adiós",
            "update",
            "note",
            "fyi",
            "ps");

    private static final Set<String> TITLE_STOPWORDS = Set.of(
            "of", "and", "for", "the", "at", "in", "on", "to", "a", "an", "&", "|", "-", "–", "—", "/", "de", "du",
            "des", "la", "le", "et", "und", "für", "der", "die", "das", "van", "von", "y", "e", "del", "di", "da",
            "och", "og", "i", "w", "и", "в", "fax", "tel", "cell", "mobile", "office", "ext", "ext.", "x", "inc.",
            "ltd.", "llc", "gmbh", "ag", "sa", "s.a.", "b.v.", "bv", "plc", "corp.", "co.");

    private static final Pattern ABBREVIATION_END = Pattern.compile(
            "(?:inc|ltd|co|corp|llc|jr|sr|s\\.a|b\\.v|g\\.m\\.b\\.h|plc|e\\.v|ph\\.d|m\\.d)\\.$", FLAGS);

    // ---------------------------------------------------------------- disclaimers

    private static final Pattern DISCLAIMER_HEAD = Pattern.compile(
            "^[*_\\[(]*(?:confidentiality notice|confidentiality|confidential|disclaimer|legal notice|privileged"
                    + "|important notice|haftungsausschluss|vertraulichkeitshinweis|avis de confidentialité|avertissement"
                    + "|aviso legal|aviso de confidencialidad|avviso di riservatezza|disclaimer)\\b",
            FLAGS);

    private static final Pattern PRINT_NOTICE = Pattern.compile(
            "^(?:please )?(?:consider the environment|think (?:green )?before (?:you )?print"
                    + "|bitte denken sie an die umwelt|pensez à l'environnement|antes de imprimir"
                    + "|prima di stampare)",
            FLAGS);

    private static final Pattern DISCLAIMER_WORDS = Pattern.compile(
            "confidential|privileged|intended (?:solely |only )?for|intended recipient|addressee|unauthori[sz]ed"
                    + "|prohibited|disclos\\w*|notify the sender|vertraulich\\w*|empfänger|absender|confidentiel\\w*"
                    + "|destinataire|confidencial\\w*|destinatario|riservat\\w*|vertrouwelijk|geadresseerde"
                    + "|konfidentiell|mottagare|poufn\\w*|adresat\\w*|конфиденциальн\\w*|получател\\w*",
            FLAGS);

    // ---------------------------------------------------------------- contact details

    private static final Pattern PHONE =
            Pattern.compile("(?<![\\w.])(?:\\+|\\(\\+?)?\\d[\\d\\s().\\-/]{4,}\\d(?![\\w])");
    private static final Pattern EXTENSION =
            Pattern.compile("^(?:#\\s*)?(?:x|ext\\.?|extn\\.?|durchwahl)\\s*[-.:]?\\s*\\d{2,6}$", FLAGS);
    private static final Pattern ISO_OR_NUMERIC_DATE =
            Pattern.compile("^(?:\\d{4}-\\d{2}-\\d{2}|\\d{1,2}[/.]\\d{1,2}[/.]\\d{2,4})$");
    private static final Pattern URL = Pattern.compile(
            "(?:https?://|www\\.)\\S+|(?<![@\\w.])[\\w-]+(?:\\.[\\w-]+)*\\.(?:com|org|net|io|co|de|fr|es|it|nl|uk|eu|ch|at|be|se|no|dk|fi|pl|ru|br|pt|jp|cn|in|au|ca|us|biz|info|dev|app|ai)(?:/\\S*)?(?![\\w.])",
            FLAGS);
    private static final Pattern CONTACT_LABELS = Pattern.compile(
            "(?<!\\p{L})(?:tel|tél|phone|ph|fax|mobile|mob|cell|office|direct|main|email|e-mail|mail|web|website|skype"
                    + "|telefon|telefono|teléfono|telefone|téléphone|portable|handy|mobil|móvil|celular|cellulare"
                    + "|tlf|тел|моб|ext|extn|mailto|[tpfmewd])(?!\\p{L})\\.?\\s*[:.]?",
            FLAGS);

    private SignatureFinder() {}

    /**
     * The index of the first signature line in {@code lines}, or -1 when there is no signature.
     *
     * @param blocks whether to look for signature blocks without a delimiter
     * @param maxBlockLines the most non-blank lines such a block may have
     */
    static int find(List<String> lines, boolean blocks, int maxBlockLines) {
        int end = lastNonBlank(lines, lines.size() - 1);
        if (end < 0) {
            return -1;
        }
        int start = -1;
        // 1. a delimiter near the end
        int seen = 0;
        for (int k = end; k >= 0; k--) {
            String l = lines.get(k).strip();
            if (l.isEmpty()) {
                continue;
            }
            seen++;
            if (seen - 1 > MAX_AFTER_DELIMITER) {
                break;
            }
            if (RFC_DELIMITER.matcher(l).matches()) {
                start = k;
            } else if (SOFT_RULE.matcher(l).matches()
                    && seen - 1 <= MAX_AFTER_RULE
                    && seen > 1
                    && (k == 0 || lines.get(k - 1).isBlank())) {
                // a rule under a line of text underlines a heading; a rule after a blank line opens a footer
                start = k;
            }
        }
        // 2. a legal disclaimer or "think before you print" at the very end
        int disclaimer = disclaimerStart(lines, end);
        if (disclaimer >= 0 && (start < 0 || disclaimer < start) && lastNonBlank(lines, disclaimer - 1) >= 0) {
            start = disclaimer;
        }
        // 3. a mobile tagline, or a "-Name" sign-off, among the last lines
        int top = start < 0 ? end + 1 : start;
        int nonBlank = 0;
        for (int k = top - 1; k >= 0 && nonBlank < 4; k--) {
            String l = lines.get(k).strip();
            if (l.isEmpty()) {
                continue;
            }
            nonBlank++;
            if (isTagline(l) || (nonBlank <= 2 && isDashNameSignoff(lines.get(k)))) {
                if (allSignatureLike(lines, k + 1, top - 1)) {
                    start = k;
                    top = k;
                }
            } else if (!isSignatureLike(l)) {
                break;
            }
        }
        // 4. a block of signature-looking lines above that, or at the end
        if (blocks) {
            int blockTop = block(lines, start < 0 ? end + 1 : start, maxBlockLines);
            if (blockTop >= 0) {
                start = blockTop;
            }
        }
        return start;
    }

    /**
     * The first line of the legal disclaimer paragraphs that end the mail ("This e-mail is
     * confidential and intended solely for …", "Diese E-Mail enthält vertrauliche …"), or -1.
     */
    private static int disclaimerStart(List<String> lines, int end) {
        int result = -1;
        int k = end;
        for (int paragraphs = 0; paragraphs < 3 && k >= 0; paragraphs++) {
            int a = k;
            while (a - 1 >= 0 && !lines.get(a - 1).isBlank()) {
                a--;
            }
            StringBuilder text = new StringBuilder();
            for (int i = a; i <= k; i++) {
                text.append(lines.get(i).strip()).append(' ');
            }
            if (!isDisclaimer(text.toString().strip())) {
                break;
            }
            result = a;
            k = lastNonBlank(lines, a - 1);
        }
        return result;
    }

    static boolean isDisclaimer(String paragraph) {
        if (paragraph.length() < 30 || paragraph.length() > 3000) {
            return false;
        }
        if (DISCLAIMER_HEAD.matcher(paragraph).lookingAt()
                || PRINT_NOTICE.matcher(paragraph).lookingAt()) {
            return true;
        }
        if (paragraph.length() < 80) {
            return false;
        }
        var m = DISCLAIMER_WORDS.matcher(paragraph);
        java.util.Set<String> found = new java.util.HashSet<>();
        while (m.find()) {
            found.add(m.group().toLowerCase(Locale.ROOT));
        }
        return found.size() >= 2;
    }

    /** What one line of a candidate block is. */
    private enum Role {
        NAME,
        SIGNOFF,
        CONTACT,
        TITLE
    }

    private static Role role(String raw) {
        String core = unbold(raw.strip());
        if (isSignoff(core)) {
            return signoffWithName(core) ? Role.NAME : Role.SIGNOFF;
        }
        if (isName(core) || isDashNameSignoff(raw)) {
            return Role.NAME;
        }
        String around = contactRest(core);
        if (around != null) {
            // "Ana Lima - +1 415 555 0100"; a single word ("Helpdesk: 555 0100") is a label, not a person
            return around.contains(" ") && isName(around) ? Role.NAME : Role.CONTACT;
        }
        return Role.TITLE;
    }

    /**
     * The top of the signature block that ends just above {@code below}, or -1.
     *
     * <p>The block is read upwards in chunks separated by blank lines. Once a chunk holds a name, a
     * chunk above it is taken only if it is closing phrases ("Thanks,") or holds a name of its own (a
     * person above the company's address, two contact cards): a line like "Order 12345" above a name
     * is the customer's text, not a signature.
     */
    private static int block(List<String> lines, int below, int maxLines) {
        int top = -1;
        int count = 0;
        int blanks = 0;
        boolean name = false;
        boolean card = false;
        boolean nameBelow = false;
        boolean stoppedByText = false;
        int k = below - 1;
        while (k >= 0) {
            if (lines.get(k).isBlank()) {
                if (++blanks > 3) {
                    break;
                }
                k--;
                continue;
            }
            int a = k;
            while (a - 1 >= 0 && !lines.get(a - 1).isBlank()) {
                a--;
            }
            int from = k + 1;
            while (from - 1 >= a && isSignatureLike(lines.get(from - 1))) {
                from--;
            }
            if (from > a && from <= k) {
                // a job title or company in lower case ("Directeur commercial") under the name: the
                // name above, with only short card lines below it, takes them in
                for (int n = from - 1; n >= a && isShortCardLine(lines.get(n)); n--) {
                    if (role(lines.get(n)) == Role.NAME && isSignatureLike(lines.get(n))) {
                        from = n;
                        while (from - 1 >= a && isSignatureLike(lines.get(from - 1))) {
                            from--;
                        }
                        break;
                    }
                }
            }
            boolean partial = from > a;
            if (from > k) {
                stoppedByText = true;
                break;
            }
            boolean cName = false;
            boolean cContact = false;
            boolean cTitle = false;
            for (int i = from; i <= k; i++) {
                switch (role(lines.get(i))) {
                    case NAME -> cName = true;
                    case CONTACT -> cContact = true;
                    case TITLE -> cTitle = true;
                    case SIGNOFF -> {}
                }
            }
            if (nameBelow && !cName && (cContact || cTitle)) {
                break; // "Order 1042" above "Ana": the customer's text
            }
            count += k - from + 1;
            if (count > LONG_BLOCK_FACTOR * maxLines) {
                return -1; // a long run of short lines is a list, not a signature
            }
            top = from;
            name |= cName;
            card |= cContact && cTitle; // a department with its phone number, on consecutive lines
            nameBelow |= cName;
            blanks = 0;
            if (partial) {
                stoppedByText = true;
                break;
            }
            k = a - 1;
        }
        if (top < 0) {
            return -1;
        }
        Role topRole = role(lines.get(top));
        if (count > maxLines && !isSignoff(unbold(lines.get(top).strip()))) {
            return -1; // only a closing ("Mit freundlichen Grüßen") vouches for a long block (company footers)
        }
        // "… write to" / "help@example.com": a contact or title line that ends the sentence above it
        if (stoppedByText
                && (topRole == Role.CONTACT || topRole == Role.TITLE)
                && top > 0
                && !lines.get(top - 1).isBlank()) {
            String above = lines.get(top - 1).strip();
            if (!QuoteMarkers.endsSentence(above)) {
                int next = top + 1;
                while (next < below && lines.get(next).isBlank()) {
                    next++;
                }
                return next < below ? blockFrom(lines, next, below) : -1;
            }
        }
        int aboveIndex = lastNonBlank(lines, top - 1);
        if (aboveIndex < 0) {
            return -1; // nothing of the customer's above: that is the reply itself
        }
        if (QuoteMarkers.endsWith(INTRODUCES_NEXT, lines.get(aboveIndex).strip(), 12)) {
            return -1; // "Please send it to:" / "My new address is" — the lines below are what was announced
        }
        return (name || card) ? top : -1;
    }

    /** Re-judges a block that starts at {@code from} (its lines are known to be signature-like). */
    private static int blockFrom(List<String> lines, int from, int below) {
        boolean name = false;
        boolean card = false;
        boolean contact = false;
        boolean title = false;
        for (int k = from; k <= below; k++) {
            if (k == below || lines.get(k).isBlank()) {
                card |= contact && title;
                contact = false;
                title = false;
                continue;
            }
            switch (role(lines.get(k))) {
                case NAME -> name = true;
                case CONTACT -> contact = true;
                case TITLE -> title = true;
                case SIGNOFF -> {}
            }
        }
        return (name || card) ? from : -1;
    }

    private static boolean allSignatureLike(List<String> lines, int from, int to) {
        for (int k = from; k <= to; k++) {
            String l = lines.get(k).strip();
            if (!l.isEmpty() && !isSignatureLike(l) && !isTagline(l)) {
                return false;
            }
        }
        return true;
    }

    /** A short line of a contact card whatever its case: no sentence end, a few words. */
    private static boolean isShortCardLine(String line) {
        String l = unbold(line.strip());
        if (l.isEmpty() || l.length() > MAX_LINE || l.startsWith(">")) {
            return false;
        }
        if (GREETING.matcher(l).lookingAt() || PS.matcher(l).lookingAt()) {
            return false;
        }
        boolean sentenceEnd = (l.endsWith(".") && !QuoteMarkers.endsWith(ABBREVIATION_END, l, 16))
                || l.endsWith("?")
                || l.endsWith("!")
                || l.endsWith(":");
        return !sentenceEnd && l.split("\\s+").length <= 6;
    }

    /** A company footer line: segments separated by "|" or "·", each like a title ("Amtsgericht Köln HRB 1234"). */
    private static boolean isFooterLine(String l) {
        if (l.length() > MAX_FOOTER_LINE || !(l.contains("|") || l.contains("·") || l.contains("•"))) {
            return false;
        }
        for (String part : l.split("[|·•]")) {
            String p = part.strip();
            if (!p.isEmpty() && !isTitleLike(p) && !isContact(p) && !isName(p)) {
                return false;
            }
        }
        return true;
    }

    static boolean isSignatureLike(String line) {
        String l = unbold(line.strip());
        if (l.isEmpty()) {
            return true;
        }
        if (l.startsWith(">")
                || PS.matcher(l).lookingAt()
                || GREETING.matcher(l).lookingAt()) {
            return false;
        }
        if (isTagline(l) || isDashNameSignoff(l)) {
            return true;
        }
        if (isContact(l)) {
            return l.length() <= MAX_CONTACT_LINE;
        }
        if (isFooterLine(l)) {
            return true;
        }
        if (l.length() > MAX_LINE) {
            return false;
        }
        if (isSignoff(l)) {
            return true;
        }
        if (l.endsWith("?") || l.endsWith(":") || l.endsWith(";")) {
            return false;
        }
        return isName(l) || isTitleLike(l);
    }

    static boolean isTagline(String line) {
        String l = line.strip();
        if (l.length() > 80) {
            return false;
        }
        if (l.length() <= 50 && QuoteMarkers.endsWith(TAGLINE_SUFFIX, l, 20)) {
            return DEVICE.matcher(l).find() || l.split("\\s+").length <= 4;
        }
        if (DEVICE_ONLY_PREFIX.matcher(l).lookingAt()) {
            // "via mobile", "from my Android": only with a device, and short
            return l.split("\\s+").length <= 5 && DEVICE.matcher(l).find();
        }
        var m = TAGLINE_PREFIX.matcher(l);
        if (!m.lookingAt()) {
            return false;
        }
        String rest = l.substring(m.end()).strip();
        String[] words = rest.isEmpty() ? new String[0] : rest.split("\\s+");
        // the device or app comes within the first few words: "Sent from my Verizon Wireless BlackBerry"
        StringBuilder head = new StringBuilder();
        for (int i = 0; i < Math.min(6, words.length); i++) {
            head.append(words[i]).append(' ');
        }
        if (DEVICE.matcher(head).find()) {
            return true;
        }
        // otherwise a short fragment, not a sentence ("Sent from my desk, is much easier …" is prose)
        String inner = rest.replaceFirst("[.!]$", "");
        return words.length >= 1 && words.length <= 4 && !inner.matches(".*[,.;:!?].*");
    }

    static boolean isDashNameSignoff(String raw) {
        // "-John", "--John", "-- John Smith", "— Ana": a dash glued to a name; "- apples" is a list item
        if (raw.startsWith(" ") || raw.startsWith("\t")) {
            return false;
        }
        String l = raw.strip();
        if (l.length() > 40 || l.startsWith("- ")) {
            return false;
        }
        if (!SIGNOFF_DASH_NAME.matcher(l).matches()) {
            return false;
        }
        String name = l.replaceFirst("^[-—–]+\\s*", "");
        return !NOT_NAMES.contains(name.toLowerCase(Locale.ROOT));
    }

    static boolean isSignoff(String line) {
        String l = line.strip();
        return l.length() <= 50 && SIGNOFF.matcher(l).matches();
    }

    private static boolean signoffWithName(String line) {
        if (!isSignoff(line)) {
            return false;
        }
        var m = SIGNOFF_HEAD.matcher(line.strip());
        if (!m.lookingAt()) {
            return false;
        }
        String rest = line.strip()
                .substring(m.end())
                .replaceFirst("^[\\s,.!;:—–\\-。、，！]+", "")
                .strip();
        if (rest.isEmpty()) {
            return false;
        }
        return isName(rest) || rest.matches("\\p{Lu}{1,3}\\.?");
    }

    /** A person's name: one to four capitalised words (particles and initials allowed), no digits. */
    static boolean isName(String line) {
        String l = line.strip().replaceFirst("[.]$", "");
        int comma = l.indexOf(", ");
        if (comma > 0
                && NAME_SUFFIX.matcher(l.substring(comma + 2)).matches()
                && l.substring(0, comma).contains(" ")) {
            l = l.substring(0, comma); // "Ana Lima, PhD", "John Smith, Jr."
        }
        if (l.isEmpty() || l.length() > 40) {
            return false;
        }
        if (isCjkName(l)) {
            return true;
        }
        String[] tokens = l.split("[\\s]+");
        if (tokens.length > 4) {
            return false;
        }
        int capitalised = 0;
        for (int i = 0; i < tokens.length; i++) {
            String t = tokens[i];
            String w = t.replaceFirst(",$", "");
            if (t.endsWith(",") && i > 0) {
                return false;
            }
            if (NAME_PARTICLES.contains(w.toLowerCase(Locale.ROOT)) && tokens.length > 1) {
                continue;
            }
            if (!w.matches("\\p{Lu}[\\p{L}'’.\\-]*") && !w.matches("\\p{Lu}{1,3}")) {
                return false;
            }
            capitalised++;
        }
        if (capitalised == 0) {
            return false;
        }
        if (tokens.length == 1) {
            String w = tokens[0];
            // "BT" or "FYI" alone may be initials or an acronym: not enough for a signature
            return w.length() >= 2
                    && !w.matches("\\p{Lu}{1,3}")
                    && !NOT_NAMES.contains(w.toLowerCase(Locale.ROOT))
                    && !w.endsWith(",");
        }
        // "Lastname, Firstname" is a name; "Dear," or "John," alone is a greeting
        return !l.endsWith(",");
    }

    private static boolean isCjkName(String l) {
        return l.length() >= 2
                && l.length() <= 6
                && l.codePoints().allMatch(cp -> {
                    Character.UnicodeScript s = Character.UnicodeScript.of(cp);
                    return s == Character.UnicodeScript.HAN
                            || s == Character.UnicodeScript.HIRAGANA
                            || s == Character.UnicodeScript.KATAKANA
                            || s == Character.UnicodeScript.HANGUL;
                });
    }

    /**
     * A job title, a company or an address line: short, most words capitalised or numbers, no
     * sentence punctuation at the end (abbreviations like "Inc." aside).
     */
    static boolean isTitleLike(String line) {
        String l = line.strip();
        if (l.length() > MAX_LINE || l.isEmpty()) {
            return false;
        }
        if ((l.endsWith(".") && !QuoteMarkers.endsWith(ABBREVIATION_END, l, 16))
                || l.endsWith("!")
                || l.endsWith(",")) {
            return false;
        }
        String[] tokens = l.split("[\\s]+");
        if (tokens.length > 8) {
            return false;
        }
        int content = 0;
        int upper = 0;
        for (String t : tokens) {
            String w = t.replaceAll("^[\\p{Punct}“”‘’«»]+|[\\p{Punct}“”‘’«»]+$", "");
            if (w.isEmpty() || TITLE_STOPWORDS.contains(w.toLowerCase(Locale.ROOT))) {
                continue;
            }
            content++;
            int cp = w.codePointAt(0);
            if (Character.isUpperCase(cp) || Character.isDigit(cp)) {
                upper++;
            } else if (Character.isLowerCase(cp)) {
                if (w.length() > 3) {
                    return false; // a lower-case word: a sentence, not a title
                }
            } else if (!Character.isLetter(cp)) {
                upper++;
            }
        }
        return content > 0 && upper * 10 >= content * 6;
    }

    /** Phone numbers, addresses and links, with at most a few capitalised words or labels around them. */
    static boolean isContact(String line) {
        return contactRest(line) != null;
    }

    /**
     * The words of a contact line around its phone numbers, e-mail addresses and links (labels such
     * as "Tel:" removed), or null if the line is not contact details.
     */
    static String contactRest(String line) {
        String l = line.strip();
        if (l.length() > MAX_CONTACT_LINE) {
            return null;
        }
        if (EXTENSION.matcher(l).matches()) {
            return "";
        }
        boolean found = false;
        String rest = l;
        if (rest.indexOf('@') >= 0) {
            String r = QuoteMarkers.EMAIL.matcher(rest).replaceAll(" ");
            found |= !r.equals(rest);
            rest = r;
        }
        String r = URL.matcher(rest).replaceAll(" ");
        found |= !r.equals(rest);
        rest = r;
        var phone = PHONE.matcher(rest);
        StringBuilder sb = new StringBuilder();
        while (phone.find()) {
            String p = phone.group();
            long digits = p.chars().filter(Character::isDigit).count();
            if (digits >= 5 && !ISO_OR_NUMERIC_DATE.matcher(p.strip()).matches()) {
                found = true;
                phone.appendReplacement(sb, " ");
            }
        }
        phone.appendTail(sb);
        rest = sb.toString();
        if (!found) {
            return null;
        }
        rest = CONTACT_LABELS.matcher(rest).replaceAll(" ");
        String[] tokens = rest.replaceAll("[\\p{Punct}<>|•·]+", " ").strip().split("\\s+");
        StringBuilder words = new StringBuilder();
        int n = 0;
        for (String t : tokens) {
            if (t.isEmpty()) {
                continue;
            }
            n++;
            int cp = t.codePointAt(0);
            if (Character.isLowerCase(cp) && t.length() > 3 && !TITLE_STOPWORDS.contains(t)) {
                return null; // "call me at 555 0100" is a sentence
            }
            words.append(words.length() == 0 ? "" : " ").append(t);
        }
        return n <= 5 ? words.toString() : null;
    }

    private static String unbold(String l) {
        String s = l;
        if (s.length() > 2 && s.startsWith("*") && s.endsWith("*")) {
            s = s.substring(1, s.length() - 1).strip();
        }
        return s;
    }

    static int lastNonBlank(List<String> lines, int from) {
        for (int k = from; k >= 0; k--) {
            if (!lines.get(k).isBlank()) {
                return k;
            }
        }
        return -1;
    }
}
