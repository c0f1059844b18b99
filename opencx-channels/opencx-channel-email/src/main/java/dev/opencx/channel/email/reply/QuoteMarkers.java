package dev.opencx.channel.email.reply;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where quoted history starts in a plain-text e-mail: the attribution lines mail clients write above
 * a quote ("On … wrote:" in many languages), Outlook's header blocks ("From:/Sent:/To:/Subject:" and
 * their translations), "Original message" and forward separators, and helpdesk "reply above this
 * line" markers. The phrases are the ones the clients themselves write (Gmail, Outlook, Apple Mail,
 * Thunderbird, Yahoo, Android and iOS mail apps) in their localized versions.
 */
final class QuoteMarkers {

    static final int FLAGS = Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE | Pattern.UNICODE_CHARACTER_CLASS;

    private QuoteMarkers() {}

    /** Verbs that end (or sit inside) an attribution line, as words. */
    private static final String WORD_VERBS = String.join(
            "|",
            // en (Thunderbird, Apple, Gmail, Outlook mobile), "sent" (some webmails)
            "wrote",
            "writes",
            "has written",
            "sent",
            // de
            "schrieb",
            "hat geschrieben",
            "geschrieben",
            // fr
            "a écrit",
            "a ecrit",
            "écrit",
            // es, ca
            "escribió",
            "escribio",
            "ha escrito",
            "va escriure",
            // pt
            "escreveu",
            // it
            "ha scritto",
            "scrisse",
            // nl
            "schreef",
            "het volgende geschreven",
            // sv, da, no
            "skrev",
            "skreiv",
            // fi
            "kirjoitti",
            // pl
            "napisał\\(a\\)",
            "napisał",
            "napisała",
            "pisze",
            // ru, uk, bg
            "написал\\(а\\)",
            "написал",
            "написала",
            "пишет",
            "написав",
            "пише",
            "написа",
            // cs, sk
            "napsal\\(a\\)",
            "napsal",
            "napsala",
            "napísal",
            "napísala",
            // hu
            "ezt írta",
            "írta",
            // tr
            "şunu yazdı",
            "yazdı",
            // el
            "έγραψε",
            // ro
            "a scris",
            // vi
            "đã viết",
            // id, ms
            "menulis",
            // hr, sr, bs, sl
            "je napisao",
            "je napisala",
            "napisao",
            "je napisal",
            // lt, lv, et
            "parašė",
            "rašė",
            "rakstīja",
            "kirjutas",
            // he, ar, fa, th
            "כתב",
            "כתבה",
            "كتب",
            "نوشت",
            "เขียนว่า");

    /** Verbs of scripts without spaces between words (no word boundary before them). */
    private static final String CJK_VERBS = String.join("|", "写道", "寫道", "のメール", "書きました", "님이 작성", "작성");

    /** Words that open an attribution line ("On", "Am", "Le", "El" …). */
    private static final String OPENERS = String.join(
            "|",
            "on",
            "am",
            "le",
            "el dia",
            "el",
            "em",
            "no dia",
            "il giorno",
            "il",
            "op",
            "den",
            "på",
            "dne",
            "dňa",
            "w dniu",
            "dnia",
            "vào",
            "pada tanggal",
            "pada",
            "στις",
            "în",
            "às",
            "dana",
            "ngày",
            "בתאריך",
            "في",
            "เมื่อ",
            "在",
            "quoting",
            "zitat von",
            "citando",
            "citation de",
            "cytując",
            "цитата");

    static final Pattern VERB_END = Pattern.compile(
            "(?:(?<!\\p{L})(?:" + WORD_VERBS + ")|(?:" + CJK_VERBS
                    + "))\\s*(?:\\(\\p{L}{1,3}\\))?\\s*[:：]?\\s*[-–—=]*\\s*$",
            FLAGS);

    private static final Pattern VERB_INSIDE =
            Pattern.compile("(?:(?<!\\p{L})(?:" + WORD_VERBS + ")(?!\\p{L})|(?:" + CJK_VERBS + "))", FLAGS);

    private static final Pattern VERB_ONLY = Pattern.compile(
            "^[>\\s]*(?:" + WORD_VERBS + "|" + CJK_VERBS + ")\\s*(?:\\(\\p{L}{1,3}\\))?\\s*[:：]?\\s*[-–—]*\\s*$",
            FLAGS);

    private static final Pattern OPENER_START = Pattern.compile("^(?:" + OPENERS + ")(?=[\\s,:])", FLAGS);

    /** An opener inside a line: the reply and the attribution share the line ("Thanks! On … wrote:"). */
    private static final Pattern OPENER_INSIDE = Pattern.compile("(?<=[\\s\\p{P}])(?:" + OPENERS + ")\\s", FLAGS);

    private static final Pattern QUOTING_START =
            Pattern.compile("^(?:quoting|zitat von|citando|citation de|cytując|цитата)\\s", FLAGS);

    /** A date or weekday at the start: "2014-10-17", "04/19/2011", "Mon, Feb 5", "lun. 5", "пн, 5". */
    private static final Pattern DATE_START =
            Pattern.compile("^(?:\\d|\\p{L}{2,5}\\.?,?\\s+\\d|\\p{L}{2,5}\\.?,?\\s+\\p{L}{2,6}\\.?,?\\s+\\d)", FLAGS);

    private static final Pattern NUMERIC_DATE_START = Pattern.compile(
            "^(?:\\d{4}[/.\\-年]\\d{1,2}[/.\\-月]\\d{1,2}|\\d{1,2}[/.\\-]\\d{1,2}[/.\\-]\\d{2,4})", FLAGS);

    static final Pattern EMAIL = Pattern.compile("[\\w.+'%-]+@[\\w-]+(?:\\.[\\w-]+)+", FLAGS);

    private static final Pattern TIME = Pattern.compile("(?<!\\d)\\d{1,2}[:.]\\d{2}(?!\\d)");

    private static final Pattern TIME_OR_YEAR =
            Pattern.compile("(?<!\\d)(?:\\d{1,2}[:.]\\d{2}|(?:19|20)\\d{2})(?!\\d)");

    private static final Pattern DIGIT = Pattern.compile("\\d");

    private static final Pattern ENDS_COLON = Pattern.compile("[:：]\\s*$");

    /** The colon ends an address: "… <bob@example.com>:" or "… bob@example.com:". */
    private static final Pattern ADDRESS_COLON_END =
            Pattern.compile("(?:@[\\w.-]+[>)\\]\"']*|[>)\\]])\\s*[:：]\\s*$", FLAGS);

    private static final Pattern ADDRESS_END = Pattern.compile("@[\\w.-]+\\s*[>)\\]]\\s*$", FLAGS);

    private static final Pattern DASH_FRAMED = Pattern.compile("^[-=_]{2,}|[-=_]{2,}$");

    private static final Pattern SENTENCE_END = Pattern.compile("[.?!]\\s*$");

    private static final Pattern CONTINUATION_START = Pattern.compile("^(?:[<>(\\[\"]|mailto:|[^\\s]*@)", FLAGS);

    /** An attribution is at most a few wrapped lines; longer text is a paragraph that happens to end in "wrote:". */
    static final int MAX_ATTRIBUTION_CHARS = 400;

    // ---------------------------------------------------------------- separators and forwards

    /** Words inside a dashed separator line that mark the start of history (original or forwarded message). */
    private static final String SEPARATOR_WORDS = String.join(
            "|",
            "original",
            "origine",
            "originale",
            "forward",
            "ursprüngliche",
            "weitergeleitet",
            "transféré",
            "transfere",
            "reenviado",
            "encaminhada",
            "encaminhado",
            "reencaminhada",
            "inoltrato",
            "oorspronkelijk",
            "origineel",
            "doorgestuurd",
            "ursprungligt",
            "vidarebefordrat",
            "oprindelig",
            "opprinnelig",
            "videresendt",
            "alkuperäinen",
            "välitetty",
            "oryginalna",
            "przekazana",
            "przesłana",
            "исходное",
            "пересылаемое",
            "пересланное",
            "původní",
            "přeposlaná",
            "pôvodná",
            "eredeti",
            "továbbított",
            "orijinal",
            "özgün",
            "iletilen",
            "αρχικό",
            "προωθημένο",
            "redirecționat",
            "原始",
            "转发",
            "轉寄",
            "元のメッセージ",
            "転送",
            "원본",
            "전달",
            "reply message",
            "message d'origine");

    private static final Pattern SEPARATOR = Pattern.compile(
            "^\\s*+[-=_*]{2,}+\\s*+[^-=_*]*?(?:" + SEPARATOR_WORDS + ")[^-=_*]*+[-=_*]{2,}+\\s*$", FLAGS);

    /** Apple Mail's and others' forward introductions, localized. */
    private static final Pattern FORWARD_INTRO = Pattern.compile(
            "^\\s*+(?:begin forwarded message|forwarded message"
                    + "|anfang der weitergeleiteten (?:e-mail|nachricht)|weitergeleitete nachricht"
                    + "|début du message (?:réexpédié|transféré)|message transféré"
                    + "|inicio del mensaje reenviado|mensaje reenviado"
                    + "|início da mensagem (?:reencaminhada|encaminhada)|mensagem encaminhada"
                    + "|inizio messaggio inoltrato|messaggio inoltrato"
                    + "|begin doorgestuurd bericht|doorgestuurd bericht"
                    + "|vidarebefordrat (?:mejl|brev|meddelande)|början på vidarebefordrat (?:mejl|brev|meddelande)"
                    + "|videresendt (?:besked|meddelelse|melding)|start på videresendt (?:besked|melding)"
                    + "|välitetty viesti alkaa|välitetty viesti"
                    + "|początek przekazywanej wiadomości|przekazana wiadomość"
                    + "|начало переадресованного (?:письма|сообщения)|пересылаемое сообщение"
                    + "|začátek přeposlané zprávy|přeposlaná zpráva"
                    + "|továbbított levél kezdete|továbbított üzenet"
                    + "|iletilen (?:e-posta|mesaj)ın başlangıcı"
                    + "|転送されたメッセージ|以下是转发的邮件|转发的邮件|전달된 메시지)\\s*[:：]?\\s*$",
            FLAGS);

    /** "##- Please type your reply above this line -##" (Zendesk and others). */
    private static final Pattern REPLY_ABOVE_HASHES = Pattern.compile("^\\s*+#{1,3}+\\s*+-.{0,100}-\\s*#{1,3}\\s*$");

    /** The "reply above this line" instruction in the languages helpdesks send it in (lower case). */
    private static final List<String> REPLY_ABOVE_PHRASES = List.of(
            "above this line",
            "über dieser zeile",
            "oberhalb dieser zeile",
            "au-dessus de cette ligne",
            "encima de esta línea",
            "acima desta linha",
            "sopra questa riga",
            "sopra questa linea",
            "boven deze regel",
            "boven deze lijn",
            "ovanför denna rad",
            "ovanför den här raden",
            "over denne linje",
            "tämän rivin yläpuolelle",
            "powyżej tej linii",
            "выше этой строки",
            "выше этой линии",
            "nad tímto řádkem",
            "nad tento řádek",
            "e sor fölé",
            "bu satırın üstüne",
            "この行より上",
            "在此行上方",
            "이 줄 위에");

    /** A line of only separator characters ("-----", "_____", "=====", "*****"). */
    static final Pattern RULE_LINE = Pattern.compile("^\\s*+[-_=*~]{3,}+\\s*$");

    // ---------------------------------------------------------------- header blocks (Outlook and friends)

    enum Label {
        FROM,
        SENT,
        DATE,
        TO,
        CC,
        SUBJECT,
        REPLY_TO
    }

    private static final String FROM_WORDS = String.join(
            "|",
            "from",
            "von",
            "de",
            "da",
            "van",
            "från",
            "fra",
            "frá",
            "lähettäjä",
            "od",
            "от",
            "від",
            "feladó",
            "kimden",
            "από",
            "de la",
            "发件人",
            "發件人",
            "寄件者",
            "差出人",
            "보낸 사람",
            "보낸사람",
            "מאת",
            "من",
            "từ",
            "dari",
            "expéditeur",
            "remitente",
            "absender",
            "mittente",
            "afzender",
            "avsändare",
            "afsender",
            "avsender",
            "nadawca",
            "отправитель",
            "odesílatel",
            "odosielateľ");

    private static final String SENT_WORDS = String.join(
            "|",
            "sent",
            "gesendet",
            "envoyé",
            "envoye",
            "enviado el",
            "enviado em",
            "enviada em",
            "enviado",
            "enviada",
            "inviato il",
            "inviato",
            "verzonden",
            "verstuurd",
            "skickat",
            "sendt",
            "lähetetty",
            "wysłano",
            "wysłany",
            "отправлено",
            "надіслано",
            "odesláno",
            "odoslané",
            "elküldve",
            "gönderilme tarihi",
            "gönderildi",
            "στάλθηκε",
            "trimis",
            "发送时间",
            "發送時間",
            "傳送時間",
            "寄件日期",
            "送信日時",
            "보낸 날짜",
            "נשלח",
            "تاريخ الإرسال",
            "đã gửi",
            "dikirim");

    private static final String DATE_WORDS = String.join(
            "|",
            "date",
            "datum",
            "fecha",
            "data",
            "dato",
            "päivämäärä",
            "päiväys",
            "дата",
            "dátum",
            "tarih",
            "ημερομηνία",
            "日期",
            "日付",
            "날짜",
            "תאריך",
            "ngày",
            "tanggal");

    private static final String TO_WORDS = String.join(
            "|",
            "to",
            "an",
            "à",
            "a",
            "para",
            "aan",
            "till",
            "til",
            "vastaanottaja",
            "do",
            "кому",
            "komu",
            "címzett",
            "kime",
            "προς",
            "către",
            "catre",
            "收件人",
            "收件者",
            "宛先",
            "받는 사람",
            "받는사람",
            "אל",
            "إلى",
            "đến",
            "kepada",
            "destinataire",
            "destinatario",
            "destinatário",
            "empfänger",
            "ontvanger",
            "mottagare",
            "modtager",
            "mottaker");

    private static final String CC_WORDS = String.join(
            "|",
            "cc",
            "bcc",
            "kopie",
            "copie",
            "cópia",
            "copia",
            "kopia",
            "kopio",
            "копия",
            "копія",
            "másolat",
            "másolatot kap",
            "bilgi",
            "κοιν",
            "抄送",
            "副本",
            "参照",
            "참조",
            "cco",
            "cci",
            "dw");

    private static final String SUBJECT_WORDS = String.join(
            "|",
            "subject",
            "betreff",
            "objet",
            "sujet",
            "asunto",
            "assunto",
            "oggetto",
            "onderwerp",
            "ämne",
            "emne",
            "aihe",
            "temat",
            "тема",
            "předmět",
            "predmet",
            "tárgy",
            "konu",
            "θέμα",
            "subiect",
            "主题",
            "主旨",
            "件名",
            "제목",
            "נושא",
            "الموضوع",
            "chủ đề",
            "perihal",
            "subjek");

    private static final String REPLY_TO_WORDS = String.join(
            "|",
            "reply-to",
            "antwort an",
            "répondre à",
            "responder a",
            "rispondi a",
            "beantwoorden aan",
            "svara till",
            "ответить");

    private static final String LABEL_PREFIX = "^\\s*+[*_]{0,2}+\\s*+(?:";
    private static final String LABEL_SUFFIX = ")\\s*+[*_]{0,2}+\\s*+[:：]";

    private static final Pattern[] LABELS = {
        Pattern.compile(LABEL_PREFIX + FROM_WORDS + LABEL_SUFFIX, FLAGS),
        Pattern.compile(LABEL_PREFIX + SENT_WORDS + LABEL_SUFFIX, FLAGS),
        Pattern.compile(LABEL_PREFIX + DATE_WORDS + LABEL_SUFFIX, FLAGS),
        Pattern.compile(LABEL_PREFIX + TO_WORDS + LABEL_SUFFIX, FLAGS),
        Pattern.compile(LABEL_PREFIX + CC_WORDS + LABEL_SUFFIX, FLAGS),
        Pattern.compile(LABEL_PREFIX + SUBJECT_WORDS + LABEL_SUFFIX, FLAGS),
        Pattern.compile(LABEL_PREFIX + REPLY_TO_WORDS + LABEL_SUFFIX, FLAGS),
    };

    /** Other header labels on the same line as "From:" (a header flattened to one line). */
    private static final Pattern INLINE_LABEL = Pattern.compile(
            "(?<=\\s)[*_]{0,2}(?:" + SENT_WORDS + "|" + DATE_WORDS + "|" + TO_WORDS + "|" + SUBJECT_WORDS
                    + ")[*_]{0,2}\\s*[:：]",
            FLAGS);

    // ---------------------------------------------------------------- queries

    /** The header label a line starts with, or null. */
    static Label label(String line) {
        int colon = firstColon(line);
        if (colon < 0 || colon > 40 || line.length() > 1000) {
            return null; // a label ("From:", "Objet :", "差出人:") comes first
        }
        for (int i = 0; i < LABELS.length; i++) {
            if (LABELS[i].matcher(line).lookingAt()) {
                return Label.values()[i];
            }
        }
        return null;
    }

    static int inlineLabelCount(String line) {
        Matcher m = INLINE_LABEL.matcher(line);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    static boolean isSeparator(String line) {
        return line.length() <= 200 && SEPARATOR.matcher(line).matches();
    }

    static boolean isForwardIntro(String line) {
        return line.length() <= 120 && FORWARD_INTRO.matcher(line).matches();
    }

    static boolean isReplyAboveMarker(String line) {
        if (line.length() > 200) {
            return false;
        }
        if (REPLY_ABOVE_HASHES.matcher(line).matches()) {
            return true;
        }
        String lower = line.toLowerCase(java.util.Locale.ROOT);
        for (String phrase : REPLY_ABOVE_PHRASES) {
            if (lower.contains(phrase)) {
                return true;
            }
        }
        return false;
    }

    /** A cheap test before {@link #isAttribution}: how an attribution's last line can end. */
    static boolean mayEndAttribution(String lastLine) {
        return endsWith(ENDS_COLON, lastLine, 8) || endsWith(ADDRESS_END, lastLine, 160) || endsWithVerb(lastLine);
    }

    /** {@link #VERB_END}, after a cheap look at the last character: verbs end in a letter or "(a)". */
    private static boolean endsWithVerb(String s) {
        int i = s.length() - 1;
        while (i >= 0 && " \t:：-–—=".indexOf(s.charAt(i)) >= 0) {
            i--;
        }
        if (i < 0) {
            return false;
        }
        char c = s.charAt(i);
        if (!Character.isLetter(c) && c != ')') {
            return false;
        }
        return endsWith(VERB_END, s, s.length() - i + 40);
    }

    private static int firstColon(String line) {
        int a = line.indexOf(':');
        int b = line.indexOf('：');
        return a < 0 ? b : (b < 0 ? a : Math.min(a, b));
    }

    static boolean hasEmail(String s) {
        return s.indexOf('@') >= 0 && EMAIL.matcher(s).find();
    }

    static boolean endsSentence(String line) {
        return endsWith(SENTENCE_END, line, 8);
    }

    /** A line that can only be the middle or end of a wrapped attribution, never its start. */
    static boolean isContinuation(String line) {
        String s = line.strip();
        return s.isEmpty()
                || CONTINUATION_START.matcher(s).lookingAt()
                || VERB_ONLY.matcher(s).matches();
    }

    /** A line that is only an attribution verb ("> wrote:" after an address broken over lines). */
    static boolean isVerbOnly(String line) {
        return VERB_ONLY.matcher(line.strip()).matches();
    }

    static boolean startsStrong(String text) {
        String s = stripFrame(text);
        return OPENER_START.matcher(s).lookingAt() || DATE_START.matcher(s).lookingAt();
    }

    static boolean hasDigit(String s) {
        return DIGIT.matcher(s).find();
    }

    /**
     * Whether {@code joined} (one or more lines joined by spaces) is an attribution line.
     *
     * @param nextIsQuoted whether the first non-blank line after it starts with {@code >}
     */
    static boolean isAttribution(String joined, boolean nextIsQuoted) {
        String s = joined.strip().replaceAll("\\s+", " ");
        if (s.isEmpty() || s.length() > MAX_ATTRIBUTION_CHARS) {
            return false;
        }
        s = stripBold(s);
        String body = stripFrame(s);
        boolean email = hasEmail(s);
        boolean framed = DASH_FRAMED.matcher(s).find();
        boolean strong = startsStrong(s);
        boolean time = TIME.matcher(s).find();
        boolean digit = hasDigit(s);
        if (!(strong || email || framed)) {
            // "Name wrote:" alone (Thunderbird's shortest form) right above a quote
            return nextIsQuoted && body.length() <= 80 && endsWithVerb(body) && words(body) <= 8;
        }
        if (endsWithVerb(s)) {
            if (email || framed || time || (strong && digit)) {
                return true;
            }
            return nextIsQuoted && body.length() <= 80;
        }
        boolean colon = endsWith(ENDS_COLON, s, 8);
        if (colon && QUOTING_START.matcher(body).lookingAt()) {
            return true;
        }
        if (colon && VERB_INSIDE.matcher(s).find() && time) {
            return true; // "Am 5.2.2024 um 10:00 schrieb Max <max@example.com>:", "… kirjoitti ma 5.2.2024 klo 10.00:"
        }
        if (colon && email && (strong ? TIME_OR_YEAR.matcher(s).find() : time) && endsWith(ADDRESS_COLON_END, s, 160)) {
            // without a verb: Gmail's "пн, 5 февр. 2024 г. в 10:00, Имя <a@b.ru>:", "2024年2月5日(月) 10:00 Name
            // <a@b.jp>:",
            // Mail.ru's "Понедельник, 5 февраля 2024, 10:00 +03:00 от Имя <a@b.ru>:"
            return true;
        }
        // old Gmail in CJK locales: "2011/4/7 Name <a@b.com>" right above the quote
        return nextIsQuoted && email && NUMERIC_DATE_START.matcher(body).lookingAt() && endsWith(ADDRESS_END, s, 160);
    }

    /**
     * Where the attribution starts inside a line that begins with the customer's own words
     * ("Thanks! On Mon, … wrote:"), or -1 if it starts the line.
     */
    static int attributionStartInside(String line, boolean nextIsQuoted) {
        String s = line.stripLeading();
        if (startsStrong(s) || s.startsWith("-") || s.startsWith("=")) {
            return -1;
        }
        Matcher m = OPENER_INSIDE.matcher(line);
        while (m.find()) {
            int p = m.start();
            if (p > 0 && isAttribution(line.substring(p), nextIsQuoted)) {
                return p;
            }
        }
        return -1;
    }

    /** {@code p} (anchored with {@code $}) searched only in the last {@code window} characters of {@code s}. */
    static boolean endsWith(Pattern p, String s, int window) {
        Matcher m = p.matcher(s);
        m.region(Math.max(0, s.length() - window), s.length());
        m.useTransparentBounds(true);
        return m.find();
    }

    private static String stripFrame(String s) {
        return s.replaceFirst("^[-=_*\\s]+", "").replaceFirst("[-=_*\\s]+$", "");
    }

    private static String stripBold(String s) {
        if (s.startsWith("*") && s.endsWith("*") && s.length() > 2) {
            return s.substring(1, s.length() - 1).strip();
        }
        return s;
    }

    private static int words(String s) {
        return s.isBlank() ? 0 : s.strip().split("\\s+").length;
    }
}
