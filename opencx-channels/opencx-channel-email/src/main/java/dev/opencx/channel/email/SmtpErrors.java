package dev.opencx.channel.email;

import dev.opencx.OpenCxException;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import java.io.IOException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.eclipse.angus.mail.smtp.SMTPSenderFailedException;
import org.eclipse.angus.mail.util.MailConnectException;

/**
 * Maps what the SMTP server answered onto {@link OpenCxException}: a 4xx reply or a connection
 * failure is retriable (the outbox tries again later), a 5xx reply is permanent. Messages name the
 * server's reply code and never an address.
 */
final class SmtpErrors {
    private static final Pattern CODE = Pattern.compile("^\\s*([245])(\\d\\d)[\\s-]");
    /** How Angus reports a refused greeting: {@code ..., response: 421 4.3.2 Service not available}. */
    private static final Pattern RESPONSE = Pattern.compile("response: ([245])(\\d\\d)\\b");

    private SmtpErrors() {}

    static OpenCxException map(MessagingException e) {
        int code = code(e);
        if (code >= 400 && code < 500) {
            return OpenCxException.retriable("the SMTP server deferred the mail (" + code + ")", e);
        }
        if (code >= 500) {
            return OpenCxException.permanent("the SMTP server refused the mail (" + code + ")", e);
        }
        if (e instanceof AuthenticationFailedException) {
            return OpenCxException.permanent("SMTP authentication failed: check the user and password", e);
        }
        if (e instanceof MailConnectException || hasCause(e, IOException.class)) {
            return OpenCxException.retriable("the SMTP server is unreachable (" + rootName(e) + ")", e);
        }
        if (e instanceof SendFailedException) {
            return OpenCxException.permanent("the SMTP server refused the mail", e);
        }
        return OpenCxException.retriable("sending over SMTP failed (" + rootName(e) + ")", e);
    }

    /** The SMTP reply code in the exception chain, 0 when there is none. */
    static int code(MessagingException e) {
        int best = 0;
        for (Exception x = e; x != null; x = x instanceof MessagingException me ? me.getNextException() : null) {
            int c = 0;
            if (x instanceof SMTPSendFailedException f) {
                c = f.getReturnCode();
            } else if (x instanceof SMTPAddressFailedException f) {
                c = f.getReturnCode();
            } else if (x instanceof SMTPSenderFailedException f) {
                c = f.getReturnCode();
            } else if (x.getMessage() != null) {
                Matcher m = CODE.matcher(x.getMessage());
                Matcher r = RESPONSE.matcher(x.getMessage());
                if (m.find()) {
                    c = Integer.parseInt(m.group(1) + m.group(2));
                } else if (r.find()) {
                    c = Integer.parseInt(r.group(1) + r.group(2));
                }
            }
            // a temporary failure for any recipient makes the whole send worth retrying
            if (c >= 400 && c < 500) {
                return c;
            }
            if (c >= 500 && best == 0) {
                best = c;
            }
            if (x == x.getCause()) {
                break;
            }
        }
        return best;
    }

    private static boolean hasCause(Throwable t, Class<? extends Throwable> type) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (type.isInstance(c)) {
                return true;
            }
        }
        return false;
    }

    private static String rootName(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName();
    }
}
