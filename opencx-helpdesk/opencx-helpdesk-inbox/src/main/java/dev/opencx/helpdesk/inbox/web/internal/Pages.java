package dev.opencx.helpdesk.inbox.web.internal;

import dev.opencx.helpdesk.inbox.web.AgentAccount;
import dev.opencx.webhook.WebResponse;
import java.nio.charset.StandardCharsets;

/**
 * The two server-rendered pages (sign-in and the app's shell), the security headers every answer
 * carries, and the session cookie. Every value written into HTML goes through {@link #escape}; the
 * app's content is rendered by {@code inbox.js} as text nodes.
 */
final class Pages {
    /** No inline script or style anywhere: a stored script in a message has nowhere to run. */
    static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
            + " connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    private Pages() {}

    /** The security headers, on the eventual response when {@code r} is deferred (a sign-in). */
    static WebResponse secured(WebResponse r) {
        return r.map(Pages::securedNow);
    }

    private static WebResponse securedNow(WebResponse r) {
        WebResponse out = r.withHeader("Content-Security-Policy", CSP)
                .withHeader("X-Content-Type-Options", "nosniff")
                .withHeader("X-Frame-Options", "DENY")
                .withHeader("Referrer-Policy", "no-referrer")
                .withHeader("Cross-Origin-Opener-Policy", "same-origin");
        return out.header("Cache-Control") == null ? out.withHeader("Cache-Control", "no-store") : out;
    }

    static WebResponse html(int status, String html) {
        return WebResponse.of(status, "text/html; charset=utf-8", html.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The session cookie: HttpOnly, SameSite=Strict, Secure when asked, scoped to the inbox's path;
     * {@code maxAge} 0 deletes it, a negative one makes it a browser-session cookie.
     */
    static String cookie(String name, String value, String path, boolean secure, int maxAge) {
        return name + "=" + value + "; Path=" + path + "; HttpOnly; SameSite=Strict" + (secure ? "; Secure" : "")
                + (maxAge >= 0 ? "; Max-Age=" + maxAge : "");
    }

    static String login(String base, String csrf, String login, String error) {
        return head(base, "Sign in · OpenCX inbox")
                + "</head><body class=\"login-page\"><main class=\"login\">"
                + "<h1>OpenCX inbox</h1><p class=\"muted\">Sign in with your agent account.</p>"
                + (error.isEmpty()
                        ? ""
                        : "<p class=\"error\" role=\"alert\" id=\"login-error\">" + escape(error) + "</p>")
                + "<form method=\"post\" action=\"" + escape(base) + "/login\" autocomplete=\"on\">"
                + "<input type=\"hidden\" name=\"csrf\" value=\"" + escape(csrf) + "\">"
                + "<label for=\"login\">Name</label>"
                + "<input id=\"login\" name=\"login\" autocomplete=\"username\" required autofocus value=\""
                + escape(login) + "\">"
                + "<label for=\"password\">Password</label>"
                + "<input id=\"password\" name=\"password\" type=\"password\" autocomplete=\"current-password\" required>"
                + "<button type=\"submit\" id=\"sign-in\">Sign in</button></form></main></body></html>";
    }

    static String app(String base, AgentAccount me, String csrf) {
        return head(base, "OpenCX inbox")
                + "<meta name=\"opencx-csrf\" content=\"" + escape(csrf) + "\">"
                + "<meta name=\"opencx-base\" content=\"" + escape(base) + "\">"
                + "<script src=\"" + escape(base) + "/assets/inbox.js\" defer></script>"
                + "</head><body><header class=\"top\"><strong>OpenCX inbox</strong>"
                + "<nav><button type=\"button\" id=\"nav-autopilot\" class=\"link\">Autopilot</button></nav>"
                + "<span class=\"status\" id=\"live-status\" aria-live=\"polite\"></span>"
                + "<span class=\"me\">" + escape(me.displayName()) + "</span>"
                + "<form method=\"post\" action=\"" + escape(base) + "/logout\" class=\"logout\">"
                + "<input type=\"hidden\" name=\"csrf\" value=\"" + escape(csrf) + "\">"
                + "<button type=\"submit\" class=\"link\">Sign out</button></form></header>"
                + "<div class=\"layout\"><aside class=\"lists\" id=\"lists\">"
                + "<section><h2>Queue <span class=\"count\" id=\"queue-count\">0</span></h2><ul id=\"queue\" class=\"rows\"></ul></section>"
                + "<section><h2>Claimed <span class=\"count\" id=\"claimed-count\">0</span></h2><ul id=\"claimed\" class=\"rows\"></ul></section>"
                + "<section><h2>Live AI sessions <span class=\"count\" id=\"live-count\">0</span></h2><ul id=\"live\" class=\"rows\"></ul></section>"
                + "</aside><main id=\"main\" class=\"main\"><p class=\"empty\">Pick a ticket from the queue, or a live AI session to inspect it.</p></main></div>"
                + "</body></html>";
    }

    private static String head(String base, String title) {
        return "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                + "<title>" + escape(title) + "</title>"
                + "<link rel=\"stylesheet\" href=\"" + escape(base) + "/assets/inbox.css\">";
    }

    /** HTML-escapes text for element content and quoted attribute values. */
    static String escape(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }
}
