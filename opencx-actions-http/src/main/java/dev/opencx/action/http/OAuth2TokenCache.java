package dev.opencx.action.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.opencx.action.ActionAuth;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import okhttp3.Credentials;
import okhttp3.FormBody;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;

/** The cached access token of one client-credentials scheme; one fetch at a time. */
final class OAuth2TokenCache {
    /**
     * The token endpoint failed; the message never contains the client secret or a token. The
     * status is the endpoint's HTTP status, 0 when it could not be reached, -1 when its answer was
     * not a token.
     */
    static final class TokenException extends Exception {
        final int status;

        TokenException(String message, int status) {
            super(message);
            this.status = status;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long DEFAULT_LIFETIME_SECONDS = 300;

    private final ActionAuth.OAuth2ClientCredentials auth;
    private final OkHttpClient client;
    private final Clock clock;
    private String token;
    private Instant refreshAt = Instant.MIN;

    OAuth2TokenCache(ActionAuth.OAuth2ClientCredentials auth, OkHttpClient client, Clock clock) {
        this.auth = auth;
        this.client = client;
        this.clock = clock;
    }

    synchronized String token() throws TokenException {
        if (token != null && clock.instant().isBefore(refreshAt)) {
            return token;
        }
        FormBody.Builder form = new FormBody.Builder().add("grant_type", "client_credentials");
        if (!auth.scopes().isEmpty()) {
            form.add("scope", String.join(" ", auth.scopes()));
        }
        Request request = new Request.Builder()
                .url(auth.tokenUrl())
                .header("Authorization", Credentials.basic(auth.clientId(), auth.clientSecret()))
                .header("Accept", "application/json")
                .post(form.build())
                .build();
        try (Response response = client.newCall(request).execute()) {
            if (!response.isSuccessful()) {
                throw new TokenException("the token endpoint answered " + response.code(), response.code());
            }
            ResponseBody body = response.body();
            JsonNode node = JSON.readTree(body.string());
            JsonNode accessToken = node.get("access_token");
            if (accessToken == null
                    || !accessToken.isTextual()
                    || accessToken.asText().isBlank()) {
                throw new TokenException("the token endpoint answered without an access_token", -1);
            }
            long lifetime = node.path("expires_in").asLong(DEFAULT_LIFETIME_SECONDS);
            Instant now = clock.instant();
            token = accessToken.asText();
            Instant expiry = now.plusSeconds(lifetime);
            Instant early = expiry.minus(auth.expirySkew());
            refreshAt = early.isAfter(now) ? early : now.plusSeconds(lifetime / 2);
            return token;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new TokenException("the token endpoint answered with a body that is not JSON", -1);
        } catch (IOException e) {
            throw new TokenException(
                    "the token endpoint could not be reached (" + e.getClass().getSimpleName() + ")", 0);
        }
    }

    /** Forgets the token (e.g. after a 401), so the next call fetches a new one. */
    synchronized void invalidate() {
        token = null;
    }
}
