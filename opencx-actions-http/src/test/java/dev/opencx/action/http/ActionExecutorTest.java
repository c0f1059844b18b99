package dev.opencx.action.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.opencx.action.Action;
import dev.opencx.action.ActionAuth;
import dev.opencx.action.ActionContext;
import dev.opencx.action.ActionParameter;
import dev.opencx.action.ActionResult;
import dev.opencx.action.ActionResult.Outcome;
import dev.opencx.action.BoundSource;
import dev.opencx.action.JsonSchemas;
import dev.opencx.action.ParameterLocation;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.Test;

class ActionExecutorTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    static {
        // every line the executor logs, debug included, is checked for secrets below
        System.setProperty("org.slf4j.simpleLogger.log.dev.opencx.action.http", "debug");
    }

    @StartStop
    private final MockWebServer server = new MockWebServer();

    private final List<Duration> sleeps = new ArrayList<>();

    private ActionExecutor.Builder executor() {
        return ActionExecutor.builder().sleeper(sleeps::add).backoff(Duration.ofMillis(100), Duration.ofSeconds(1));
    }

    private String base() {
        return server.url("/api").toString();
    }

    private static ObjectNode args(String json) {
        return JsonSchemas.parse(json);
    }

    private static MockResponse ok(String body) {
        return new MockResponse.Builder()
                .code(200)
                .addHeader("Content-Type", "application/json")
                .body(body)
                .build();
    }

    private static MockResponse status(int code) {
        return new MockResponse.Builder().code(code).body("{\"error\":\"x\"}").build();
    }

    private Action getOrder() {
        return Action.builder("get_order")
                .get("/orders/{id}")
                .baseUrl(base())
                .pathParam("id", "The order")
                .queryParam("ids", JsonSchemas.arrayOf(JsonSchemas.integer()), false, "Other ids")
                .queryParam("expand", JsonSchemas.enumOf("items", "shipping"), false, "What to expand")
                .header("X-Customer-Id", JsonSchemas.string(), true, "The customer")
                .contactBound("X-Customer-Id", BoundSource.CONTACT_ID)
                .build();
    }

    @Test
    void builds_path_query_header_and_cookie_from_the_arguments() throws Exception {
        Action action = Action.builder("search")
                .get("/orders/{id}/lines")
                .baseUrl(base())
                .pathParam("id", "The order")
                .parameter(ActionParameter.of(
                        "tags", ParameterLocation.QUERY, false, JsonSchemas.arrayOf(JsonSchemas.string()), ""))
                .parameter(ActionParameter.of(
                                "sizes", ParameterLocation.QUERY, false, JsonSchemas.arrayOf(JsonSchemas.integer()), "")
                        .withStyle("form", false))
                .header("X-Locale", JsonSchemas.string(), false, "")
                .cookie("region", JsonSchemas.string(), false, "")
                .build();
        server.enqueue(ok("{\"lines\":[]}"));
        try (ActionExecutor ex = executor().build()) {
            ActionResult result = ex.execute(
                    action,
                    args(
                            "{\"id\":\"A/1 ü\",\"tags\":[\"red\",\"big\"],\"sizes\":[1,2],\"X-Locale\":\"de\",\"region\":\"eu\"}"),
                    ActionContext.empty());
            assertThat(result.outcome()).isEqualTo(Outcome.OK);
            assertThat(result.status()).isEqualTo(200);
            assertThat(result.attempts()).isEqualTo(1);
            RecordedRequest request = server.takeRequest();
            assertThat(request.getMethod()).isEqualTo("GET");
            assertThat(request.getUrl().encodedPath()).isEqualTo("/api/orders/A%2F1%20%C3%BC/lines");
            assertThat(request.getUrl().queryParameterValues("tags")).containsExactly("red", "big");
            assertThat(request.getUrl().queryParameterValues("sizes")).containsExactly("1,2");
            assertThat(request.getHeaders().get("X-Locale")).isEqualTo("de");
            assertThat(request.getHeaders().get("Cookie")).isEqualTo("region=eu");
            assertThat(result.request().parameters()).containsExactly("id", "tags", "sizes", "X-Locale", "region");
            assertThat(result.request().method()).isEqualTo("GET");
        }
    }

    @Test
    void sends_body_properties_as_a_json_object_and_a_whole_body_as_is() throws Exception {
        Action create = Action.builder("create")
                .post("/tickets")
                .baseUrl(base())
                .bodyProperty("subject", JsonSchemas.string(), true, "")
                .bodyProperty("priority", JsonSchemas.integer(), false, "")
                .bodyProperty("email", JsonSchemas.string(), true, "")
                .contactBound("email", BoundSource.CONTACT_EMAIL)
                .build();
        Action bulk = Action.builder("bulk")
                .put("/tags")
                .baseUrl(base())
                .body(JsonSchemas.arrayOf(JsonSchemas.string()), true, "")
                .build();
        server.enqueue(ok("{}"));
        server.enqueue(ok("{}"));
        try (ActionExecutor ex = executor().build()) {
            ActionContext ctx =
                    ActionContext.builder().contactEmail("ana@example.com").build();
            assertThat(ex.execute(create, args("{\"subject\":\"Late\",\"priority\":2}"), ctx)
                            .ok())
                    .isTrue();
            RecordedRequest first = server.takeRequest();
            assertThat(JSON.readTree(first.getBody().utf8()))
                    .isEqualTo(JSON.readTree("{\"subject\":\"Late\",\"priority\":2,\"email\":\"ana@example.com\"}"));
            assertThat(first.getHeaders().get("Content-Type")).startsWith("application/json");
            assertThat(ex.execute(bulk, args("{\"body\":[\"a\",\"b\"]}"), ctx).ok())
                    .isTrue();
            RecordedRequest second = server.takeRequest();
            assertThat(second.getMethod()).isEqualTo("PUT");
            assertThat(second.getBody().utf8()).isEqualTo("[\"a\",\"b\"]");
        }
    }

    @Test
    void contact_bound_values_come_from_the_context_and_a_smuggled_argument_is_ignored() throws Exception {
        Action action = Action.builder("orders")
                .get("/orders")
                .baseUrl(base())
                .queryParam("customer_id", JsonSchemas.string(), true, "")
                .contactBound("customer_id", BoundSource.CONTACT_ID)
                .build();
        server.enqueue(ok("[]"));
        try (ActionExecutor ex = executor().build()) {
            ActionResult result = ex.execute(
                    action,
                    args("{\"customer_id\":\"someone-else\"}"),
                    ActionContext.builder().contactId("c-42").build());
            assertThat(result.ok()).isTrue();
            assertThat(result.ignoredArguments()).containsExactly("customer_id");
            assertThat(server.takeRequest().getUrl().queryParameter("customer_id"))
                    .isEqualTo("c-42");
        }
    }

    @Test
    void invalid_arguments_send_nothing_and_list_every_problem() {
        try (ActionExecutor ex = executor().build()) {
            ActionResult result = ex.execute(
                    getOrder(),
                    args("{\"ids\":[1,\"two\"],\"expand\":\"everything\",\"color\":\"red\"}"),
                    ActionContext.empty());
            assertThat(result.outcome()).isEqualTo(Outcome.INVALID_ARGUMENTS);
            assertThat(result.attempts()).isZero();
            assertThat(result.problems())
                    .containsExactlyInAnyOrder(
                            "color is not a parameter of get_order",
                            "id is required",
                            "ids[1] must be integer, was a string",
                            "expand must be one of [\"items\",\"shipping\"], was \"everything\"",
                            "X-Customer-Id comes from contact.id, which is not known for this contact");
            assertThat(result.explanation()).startsWith("The arguments are not valid: ");
            assertThat(result.toToolResult()).contains("INVALID_ARGUMENTS", "id is required");
        }
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void checks_types_of_numbers_booleans_and_objects() {
        Action action = Action.builder("types")
                .post("/t")
                .baseUrl(base())
                .bodyProperty("n", JsonSchemas.number(), true, "")
                .bodyProperty("b", JsonSchemas.bool(), true, "")
                .bodyProperty(
                        "o",
                        JsonSchemas.parse(
                                "{\"type\":\"object\",\"properties\":{\"x\":{\"type\":\"integer\"}},\"required\":[\"x\"]}"),
                        true,
                        "")
                .build();
        try (ActionExecutor ex = executor().build()) {
            ActionResult result =
                    ex.execute(action, args("{\"n\":\"1\",\"b\":\"yes\",\"o\":{}}"), ActionContext.empty());
            assertThat(result.problems())
                    .containsExactlyInAnyOrder(
                            "n must be number, was a string", "b must be boolean, was a string", "o.x is required");
        }
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void api_key_in_header_query_and_cookie_are_sent_but_never_summarized() throws Exception {
        Action action = Action.builder("secured")
                .get("/s")
                .baseUrl(base())
                .security("h", "q", "c")
                .build();
        server.enqueue(ok("{}"));
        try (ActionExecutor ex = executor()
                .auth("h", ActionAuth.apiKey(ActionAuth.In.HEADER, "X-Api-Key", "hdr-secret-1"))
                .auth("q", ActionAuth.apiKey(ActionAuth.In.QUERY, "api_key", "qry-secret-2"))
                .auth("c", ActionAuth.apiKey(ActionAuth.In.COOKIE, "session", "ck-secret-3"))
                .build()) {
            ActionResult result = ex.execute(action, null, ActionContext.empty());
            RecordedRequest request = server.takeRequest();
            assertThat(request.getHeaders().get("X-Api-Key")).isEqualTo("hdr-secret-1");
            assertThat(request.getUrl().queryParameter("api_key")).isEqualTo("qry-secret-2");
            assertThat(request.getHeaders().get("Cookie")).isEqualTo("session=ck-secret-3");
            assertThat(result.toString() + result.toToolResult() + ex).doesNotContain("secret");
            assertThat(result.request().url()).doesNotContain("api_key");
        }
    }

    @Test
    void bearer_basic_and_per_contact_credentials() throws Exception {
        Action bearer =
                Action.builder("b").get("/b").baseUrl(base()).security("bearer").build();
        Action basic = Action.builder("basic")
                .get("/basic")
                .baseUrl(base())
                .security("basic")
                .build();
        Action mine = Action.builder("mine")
                .get("/mine")
                .baseUrl(base())
                .security("customer")
                .build();
        for (int i = 0; i < 3; i++) {
            server.enqueue(ok("{}"));
        }
        try (ActionExecutor ex = executor()
                .auth("bearer", ActionAuth.bearer("tok-secret"))
                .auth("basic", ActionAuth.basic("shop", "pw-secret"))
                .auth("customer", ActionAuth.perContactBearer())
                .build()) {
            ActionContext ctx = ActionContext.builder()
                    .credential("customer", "contact-secret")
                    .build();
            ex.execute(bearer, null, ctx);
            ex.execute(basic, null, ctx);
            ex.execute(mine, null, ctx);
            assertThat(server.takeRequest().getHeaders().get("Authorization")).isEqualTo("Bearer tok-secret");
            assertThat(server.takeRequest().getHeaders().get("Authorization"))
                    .isEqualTo("Basic "
                            + Base64.getEncoder().encodeToString("shop:pw-secret".getBytes(StandardCharsets.UTF_8)));
            assertThat(server.takeRequest().getHeaders().get("Authorization")).isEqualTo("Bearer contact-secret");

            ActionResult missing = ex.execute(mine, null, ActionContext.empty());
            assertThat(missing.outcome()).isEqualTo(Outcome.CLIENT_ERROR);
            assertThat(missing.attempts()).isZero();
            assertThat(missing.explanation()).contains("No credential of this contact for customer");
            assertThat(ctx.toString()).doesNotContain("secret");
            assertThat(ActionAuth.bearer("tok-secret").toString()
                            + ActionAuth.basic("shop", "pw-secret")
                            + ActionAuth.apiKey(ActionAuth.In.HEADER, "k", "key-secret")
                            + ActionAuth.oauth2ClientCredentials("http://x/t", "id", "cl-secret"))
                    .doesNotContain("secret");
        }
        assertThat(server.getRequestCount()).isEqualTo(3);
    }

    @Test
    void oauth2_token_is_cached_until_shortly_before_expiry_then_fetched_again() throws Exception {
        MutableClock clock = new MutableClock();
        Action action =
                Action.builder("o").get("/o").baseUrl(base()).security("oauth").build();
        server.enqueue(ok("{\"access_token\":\"t1\",\"token_type\":\"Bearer\",\"expires_in\":120}"));
        server.enqueue(ok("{}"));
        server.enqueue(ok("{}"));
        server.enqueue(ok("{\"access_token\":\"t2\",\"expires_in\":120}"));
        server.enqueue(ok("{}"));
        try (ActionExecutor ex = executor()
                .clock(clock)
                .auth(
                        "oauth",
                        ActionAuth.oauth2ClientCredentials(
                                server.url("/token").toString(), "client", "cs-secret", "orders"))
                .build()) {
            assertThat(ex.execute(action, null, ActionContext.empty()).ok()).isTrue();
            clock.advance(Duration.ofSeconds(60));
            assertThat(ex.execute(action, null, ActionContext.empty()).ok()).isTrue();
            clock.advance(Duration.ofSeconds(40)); // 100 s: within 30 s of expiry
            assertThat(ex.execute(action, null, ActionContext.empty()).ok()).isTrue();

            RecordedRequest token = server.takeRequest();
            assertThat(token.getUrl().encodedPath()).isEqualTo("/token");
            assertThat(token.getBody().utf8()).isEqualTo("grant_type=client_credentials&scope=orders");
            assertThat(token.getHeaders().get("Authorization"))
                    .isEqualTo("Basic "
                            + Base64.getEncoder().encodeToString("client:cs-secret".getBytes(StandardCharsets.UTF_8)));
            assertThat(server.takeRequest().getHeaders().get("Authorization")).isEqualTo("Bearer t1");
            assertThat(server.takeRequest().getHeaders().get("Authorization")).isEqualTo("Bearer t1");
            assertThat(server.takeRequest().getUrl().encodedPath()).isEqualTo("/token");
            assertThat(server.takeRequest().getHeaders().get("Authorization")).isEqualTo("Bearer t2");
        }
    }

    @Test
    void oauth2_token_is_fetched_again_after_a_401() throws Exception {
        Action action =
                Action.builder("o").get("/o").baseUrl(base()).security("oauth").build();
        server.enqueue(ok("{\"access_token\":\"t1\",\"expires_in\":3600}"));
        server.enqueue(status(401));
        server.enqueue(ok("{\"access_token\":\"t2\",\"expires_in\":3600}"));
        server.enqueue(ok("{}"));
        try (ActionExecutor ex = executor()
                .auth(
                        "oauth",
                        ActionAuth.oauth2ClientCredentials(server.url("/token").toString(), "client", "cs-secret"))
                .build()) {
            ActionResult result = ex.execute(action, null, ActionContext.empty());
            assertThat(result.ok()).isTrue();
            assertThat(result.attempts()).isEqualTo(2);
        }
        server.takeRequest();
        assertThat(server.takeRequest().getHeaders().get("Authorization")).isEqualTo("Bearer t1");
        server.takeRequest();
        assertThat(server.takeRequest().getHeaders().get("Authorization")).isEqualTo("Bearer t2");
    }

    @Test
    void a_failing_token_endpoint_gives_a_result_without_the_secret_and_no_api_call() {
        Action action =
                Action.builder("o").get("/o").baseUrl(base()).security("oauth").build();
        server.enqueue(status(500));
        server.enqueue(status(400));
        try (ActionExecutor ex = executor()
                .auth(
                        "oauth",
                        ActionAuth.oauth2ClientCredentials(server.url("/token").toString(), "client", "cs-secret"))
                .build()) {
            ActionResult server500 = ex.execute(action, null, ActionContext.empty());
            assertThat(server500.outcome()).isEqualTo(Outcome.SERVER_ERROR);
            assertThat(server500.explanation())
                    .isEqualTo("No access token could be obtained for oauth: the token endpoint answered 500.");
            ActionResult rejected = ex.execute(action, null, ActionContext.empty());
            assertThat(rejected.outcome()).isEqualTo(Outcome.CLIENT_ERROR);
            assertThat(rejected.toString()).doesNotContain("cs-secret");
        }
        assertThat(server.getRequestCount()).isEqualTo(2); // only the token endpoint
    }

    @Test
    void retries_a_get_on_503_with_exponential_backoff() {
        server.enqueue(status(503));
        server.enqueue(status(503));
        server.enqueue(ok("{\"status\":\"shipped\"}"));
        try (ActionExecutor ex = executor().build()) {
            ActionResult result = ex.execute(
                    getOrder(),
                    args("{\"id\":\"1\"}"),
                    ActionContext.builder().contactId("c").build());
            assertThat(result.ok()).isTrue();
            assertThat(result.attempts()).isEqualTo(3);
            assertThat(result.body()).isEqualTo("{\"status\":\"shipped\"}");
        }
        assertThat(sleeps).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200));
    }

    @Test
    void gives_up_after_max_attempts_with_a_server_error() {
        for (int i = 0; i < 3; i++) {
            server.enqueue(status(502));
        }
        try (ActionExecutor ex = executor().build()) {
            ActionResult result = ex.execute(
                    getOrder(),
                    args("{\"id\":\"1\"}"),
                    ActionContext.builder().contactId("c").build());
            assertThat(result.outcome()).isEqualTo(Outcome.SERVER_ERROR);
            assertThat(result.status()).isEqualTo(502);
            assertThat(result.attempts()).isEqualTo(3);
            assertThat(result.explanation()).contains("hand off");
        }
    }

    private Action createTicket() {
        return Action.builder("create_ticket")
                .post("/tickets")
                .baseUrl(base())
                .bodyProperty("subject", JsonSchemas.string(), true, "")
                .build();
    }

    @Test
    void does_not_retry_a_post_without_idempotency_key() {
        server.enqueue(status(503));
        server.enqueue(ok("{}"));
        try (ActionExecutor ex = executor().build()) {
            ActionResult result = ex.execute(createTicket(), args("{\"subject\":\"s\"}"), ActionContext.empty());
            assertThat(result.outcome()).isEqualTo(Outcome.SERVER_ERROR);
            assertThat(result.attempts()).isEqualTo(1);
        }
        assertThat(server.getRequestCount()).isEqualTo(1);
        assertThat(sleeps).isEmpty();
    }

    @Test
    void retries_a_post_with_the_same_idempotency_key() throws Exception {
        server.enqueue(status(503));
        server.enqueue(ok("{\"id\":7}"));
        try (ActionExecutor ex = executor().build()) {
            ActionResult result = ex.execute(
                    createTicket(),
                    args("{\"subject\":\"s\"}"),
                    ActionContext.builder().idempotencyKey("k-1").build());
            assertThat(result.ok()).isTrue();
            assertThat(result.attempts()).isEqualTo(2);
        }
        assertThat(server.takeRequest().getHeaders().get("Idempotency-Key")).isEqualTo("k-1");
        RecordedRequest retry = server.takeRequest();
        assertThat(retry.getHeaders().get("Idempotency-Key")).isEqualTo("k-1");
        assertThat(retry.getBody().utf8()).isEqualTo("{\"subject\":\"s\"}");
    }

    @Test
    void honours_retry_after_on_429_up_to_the_cap() {
        server.enqueue(new MockResponse.Builder()
                .code(429)
                .addHeader("Retry-After", "3")
                .build());
        server.enqueue(new MockResponse.Builder()
                .code(429)
                .addHeader("Retry-After", "3600")
                .build());
        server.enqueue(ok("{}"));
        try (ActionExecutor ex =
                executor().maxRetryAfter(Duration.ofSeconds(20)).build()) {
            ActionResult result = ex.execute(
                    getOrder(),
                    args("{\"id\":\"1\"}"),
                    ActionContext.builder().contactId("c").build());
            assertThat(result.ok()).isTrue();
        }
        assertThat(sleeps).containsExactly(Duration.ofSeconds(3), Duration.ofSeconds(20));
    }

    @Test
    void a_429_without_a_readable_retry_after_waits_the_backoff_which_doubles_up_to_its_cap() {
        server.enqueue(new MockResponse.Builder()
                .code(429)
                .addHeader("Retry-After", "Wed, 21 Oct 2015 07:28:00 GMT")
                .build());
        server.enqueue(new MockResponse.Builder()
                .code(429)
                .addHeader("Retry-After", "2")
                .build());
        for (int i = 0; i < 4; i++) {
            server.enqueue(status(503));
        }
        server.enqueue(ok("{}"));
        try (ActionExecutor ex = executor().maxAttempts(7).build()) {
            ActionResult result = ex.execute(
                    getOrder(),
                    args("{\"id\":\"1\"}"),
                    ActionContext.builder().contactId("c").build());
            assertThat(result.ok()).isTrue();
            assertThat(result.attempts()).isEqualTo(7);
        }
        assertThat(sleeps).hasSize(6);
        assertThat(sleeps.get(1)).as("the wait the second 429 asked for").isEqualTo(Duration.ofSeconds(2));
        List<Duration> backoffs = new ArrayList<>(sleeps);
        backoffs.remove(1);
        // the unreadable Retry-After falls back to the backoff: 100 ms, doubling, never above 1 s
        assertThat(backoffs.get(0)).isEqualTo(Duration.ofMillis(100));
        for (int i = 1; i < backoffs.size(); i++) {
            Duration doubled = backoffs.get(i - 1).multipliedBy(2);
            assertThat(backoffs.get(i))
                    .as("backoff %d of %s", i, backoffs)
                    .isEqualTo(doubled.compareTo(Duration.ofSeconds(1)) > 0 ? Duration.ofSeconds(1) : doubled);
        }
        assertThat(backoffs.get(backoffs.size() - 1)).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void a_client_error_is_not_retried_even_for_an_idempotent_call() {
        server.enqueue(status(404));
        server.enqueue(ok("{}"));
        try (ActionExecutor ex = executor().build()) {
            ActionResult result = ex.execute(
                    getOrder(),
                    args("{\"id\":\"1\"}"),
                    ActionContext.builder().contactId("c").build());
            assertThat(result.outcome()).isEqualTo(Outcome.CLIENT_ERROR);
            assertThat(result.attempts()).isEqualTo(1);
        }
        assertThat(sleeps).isEmpty();
    }

    @Test
    void client_errors_neither_open_the_circuit_nor_let_failures_add_up_across_them() {
        Action action = Action.builder("picky").post("/p").baseUrl(base()).build();
        server.enqueue(status(500));
        server.enqueue(status(400));
        server.enqueue(status(500));
        server.enqueue(status(422));
        server.enqueue(status(400));
        server.enqueue(ok("{}"));
        try (ActionExecutor ex =
                executor().circuitBreaker(2, Duration.ofSeconds(30)).build()) {
            List<Outcome> outcomes = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                outcomes.add(ex.execute(action, null, ActionContext.empty()).outcome());
            }
            assertThat(outcomes)
                    .containsExactly(
                            Outcome.SERVER_ERROR,
                            Outcome.CLIENT_ERROR,
                            Outcome.SERVER_ERROR,
                            Outcome.CLIENT_ERROR,
                            Outcome.CLIENT_ERROR,
                            Outcome.OK);
        }
        assertThat(server.getRequestCount()).isEqualTo(6);
    }

    @Test
    void a_slow_api_times_out() {
        server.enqueue(ok("{}").newBuilder().headersDelay(2, TimeUnit.SECONDS).build());
        try (ActionExecutor ex =
                executor().readTimeout(Duration.ofMillis(200)).maxAttempts(1).build()) {
            ActionResult result = ex.execute(
                    getOrder(),
                    args("{\"id\":\"1\"}"),
                    ActionContext.builder().contactId("c").build());
            assertThat(result.outcome()).isEqualTo(Outcome.TIMEOUT);
            assertThat(result.status()).isZero();
            assertThat(result.explanation()).contains("did not answer in time");
        }
    }

    @Test
    void an_unreachable_api_is_a_network_error() throws Exception {
        String url = server.url("/api").toString();
        server.close();
        Action action = Action.builder("gone").get("/x").baseUrl(url).build();
        try (ActionExecutor ex = executor().maxAttempts(2).build()) {
            ActionResult result = ex.execute(action, null, ActionContext.empty());
            assertThat(result.outcome()).isEqualTo(Outcome.NETWORK_ERROR);
            assertThat(result.attempts()).isEqualTo(2);
        }
    }

    @Test
    void circuit_opens_after_consecutive_failures_and_half_opens_after_the_cool_down() {
        MutableClock clock = new MutableClock();
        Action action = Action.builder("flaky").post("/f").baseUrl(base()).build();
        server.enqueue(status(500));
        server.enqueue(status(500));
        server.enqueue(status(500));
        server.enqueue(ok("{}"));
        server.enqueue(ok("{}"));
        try (ActionExecutor ex = executor()
                .clock(clock)
                .circuitBreaker(2, Duration.ofSeconds(30))
                .build()) {
            assertThat(ex.execute(action, null, ActionContext.empty()).outcome())
                    .isEqualTo(Outcome.SERVER_ERROR);
            assertThat(ex.execute(action, null, ActionContext.empty()).outcome())
                    .isEqualTo(Outcome.SERVER_ERROR);
            ActionResult open = ex.execute(action, null, ActionContext.empty());
            assertThat(open.outcome()).isEqualTo(Outcome.CIRCUIT_OPEN);
            assertThat(open.attempts()).isZero();
            assertThat(server.getRequestCount()).isEqualTo(2);

            clock.advance(Duration.ofSeconds(30));
            assertThat(ex.execute(action, null, ActionContext.empty()).outcome())
                    .as("the half-open trial fails")
                    .isEqualTo(Outcome.SERVER_ERROR);
            assertThat(ex.execute(action, null, ActionContext.empty()).outcome())
                    .isEqualTo(Outcome.CIRCUIT_OPEN);

            clock.advance(Duration.ofSeconds(30));
            assertThat(ex.execute(action, null, ActionContext.empty()).ok())
                    .as("the trial succeeds")
                    .isTrue();
            assertThat(ex.execute(action, null, ActionContext.empty()).ok())
                    .as("closed again")
                    .isTrue();
        }
    }

    @Test
    void a_response_beyond_the_size_limit_is_not_read() {
        server.enqueue(ok("{\"data\":\"" + "x".repeat(5000) + "\"}"));
        server.enqueue(new MockResponse.Builder()
                .code(200)
                .chunkedBody("y".repeat(5000), 100)
                .build());
        try (ActionExecutor ex = executor().maxResponseBytes(1000).build()) {
            for (int i = 0; i < 2; i++) {
                ActionResult result = ex.execute(
                        getOrder(),
                        args("{\"id\":\"1\"}"),
                        ActionContext.builder().contactId("c").build());
                assertThat(result.outcome()).isEqualTo(Outcome.TOO_LARGE);
                assertThat(result.body()).isEmpty();
                assertThat(result.explanation()).contains("more than 1000 bytes");
            }
        }
    }

    @Test
    void selects_fields_and_shortens_arrays_for_the_model() throws Exception {
        StringBuilder items = new StringBuilder();
        for (int i = 0; i < 30; i++) {
            items.append(i == 0 ? "" : ",").append("{\"sku\":").append(i).append('}');
        }
        server.enqueue(ok(
                "{\"status\":\"shipped\",\"internal\":\"x\",\"shipping\":{\"eta\":\"2026-12-01\",\"carrier\":\"dhl\"},\"items\":["
                        + items + "]}"));
        try (ActionExecutor ex = executor()
                .responseFields("get_order", "status", "/shipping/eta", "items", "missing")
                .modelBody(4000, 3)
                .build()) {
            ActionResult result = ex.execute(
                    getOrder(),
                    args("{\"id\":\"1\"}"),
                    ActionContext.builder().contactId("c").build());
            assertThat(result.truncated()).isTrue();
            assertThat(JSON.readTree(result.body()))
                    .isEqualTo(
                            JSON.readTree(
                                    "{\"status\":\"shipped\",\"shipping/eta\":\"2026-12-01\",\"items\":[{\"sku\":0},{\"sku\":1},{\"sku\":2},\"… 27 more items not shown (30 in all)\"]}"));
        }
    }

    @Test
    void caps_the_characters_given_to_the_model() {
        server.enqueue(ok("\"" + "z".repeat(1000) + "\""));
        try (ActionExecutor ex = executor().modelBody(200, 20).build()) {
            ActionResult result = ex.execute(
                    getOrder(),
                    args("{\"id\":\"1\"}"),
                    ActionContext.builder().contactId("c").build());
            assertThat(result.body()).hasSize(200).endsWith("[cut at 200 of 1002 characters]");
            assertThat(result.truncated()).isTrue();
        }
    }

    @Test
    void client_errors_keep_the_body_for_the_model() {
        server.enqueue(new MockResponse.Builder()
                .code(409)
                .body("{\"message\":\"already shipped\"}")
                .build());
        try (ActionExecutor ex = executor().build()) {
            ActionResult result = ex.execute(createTicket(), args("{\"subject\":\"s\"}"), ActionContext.empty());
            assertThat(result.outcome()).isEqualTo(Outcome.CLIENT_ERROR);
            assertThat(result.status()).isEqualTo(409);
            assertThat(result.body()).contains("already shipped");
            assertThat(result.explanation()).isEqualTo("The API refused the request (HTTP 409).");
        }
    }

    @Test
    void secrets_never_reach_the_logs() {
        server.enqueue(status(503));
        Action action = Action.builder("logged")
                .post("/l")
                .baseUrl(base())
                .security("h", "q")
                .build();
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try (ActionExecutor ex = executor()
                .auth("h", ActionAuth.apiKey(ActionAuth.In.HEADER, "X-Api-Key", "hdr-secret-1"))
                .auth("q", ActionAuth.apiKey(ActionAuth.In.QUERY, "api_key", "qry-secret-2"))
                .build()) {
            ActionResult result = ex.execute(action, null, ActionContext.empty());
            assertThat(result.outcome()).isEqualTo(Outcome.SERVER_ERROR);
            assertThat(result.toString()).doesNotContain("secret");
        } finally {
            System.setErr(original);
        }
        String logs = captured.toString(StandardCharsets.UTF_8);
        assertThat(logs)
                .contains("action logged: attempt 1 answered 503", "action logged: SERVER_ERROR")
                .doesNotContain("secret");
    }

    @Test
    void missing_base_url_and_unconfigured_auth_are_clear_results() {
        Action noBase = Action.builder("nobase").get("/x").build();
        Action noAuth = Action.builder("noauth")
                .get("/x")
                .baseUrl(base())
                .security("other")
                .build();
        try (ActionExecutor ex = executor().build()) {
            assertThat(ex.execute(noBase, null, ActionContext.empty()).explanation())
                    .isEqualTo("The request cannot be built: action nobase has no base URL.");
            ActionResult result = ex.execute(noAuth, null, ActionContext.empty());
            assertThat(result.outcome()).isEqualTo(Outcome.CLIENT_ERROR);
            assertThat(result.explanation()).isEqualTo("No authentication is configured for [other].");
        }
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void builder_rejects_bad_values_naming_them_and_close_is_idempotent() {
        assertThatThrownBy(() -> ActionExecutor.builder().maxAttempts(0))
                .hasMessage("max attempts must be 1 to 10, was 0");
        assertThatThrownBy(() -> ActionExecutor.builder().readTimeout(Duration.ZERO))
                .hasMessage("read timeout must be positive, was PT0S");
        assertThatThrownBy(() -> ActionExecutor.builder()
                        .auth("a", ActionAuth.bearer("t"))
                        .auth("a", ActionAuth.bearer("u")))
                .hasMessage("security scheme 'a' already has an auth");
        assertThatThrownBy(() -> ActionAuth.oauth2ClientCredentials("ftp://x", "id", "s"))
                .hasMessage("token URL must be an http(s) URL, was 'ftp://x'");
        ActionExecutor ex = executor().build();
        ex.close();
        ex.close();
        assertThatThrownBy(() -> ex.execute(getOrder(), null, ActionContext.empty()))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void serializes_path_styles_deep_objects_and_form_bodies() throws Exception {
        Action action = Action.builder("styles")
                .post("/items/{label}/{matrix}")
                .baseUrl(base())
                .parameter(ActionParameter.of(
                                "label", ParameterLocation.PATH, true, JsonSchemas.arrayOf(JsonSchemas.string()), "")
                        .withStyle("label", false))
                .parameter(ActionParameter.of(
                                "matrix", ParameterLocation.PATH, true, JsonSchemas.arrayOf(JsonSchemas.string()), "")
                        .withStyle("matrix", true))
                .parameter(ActionParameter.of(
                                "filter",
                                ParameterLocation.QUERY,
                                false,
                                JsonSchemas.parse("{\"type\":\"object\"}"),
                                "")
                        .withStyle("deepObject", true))
                .parameter(ActionParameter.of(
                                "ids", ParameterLocation.QUERY, false, JsonSchemas.arrayOf(JsonSchemas.integer()), "")
                        .withStyle("pipeDelimited", false))
                .bodyProperty("note", JsonSchemas.string(), true, "")
                .bodyProperty("tags", JsonSchemas.arrayOf(JsonSchemas.string()), false, "")
                .requestContentType("application/x-www-form-urlencoded")
                .build();
        server.enqueue(ok("{}"));
        try (ActionExecutor ex = executor().build()) {
            ActionResult result = ex.execute(
                    action,
                    args("{\"label\":[\"a\",\"b\"],\"matrix\":[\"x\",\"y\"],\"filter\":{\"state\":\"open\"},"
                            + "\"ids\":[1,2],\"note\":\"hi there\",\"tags\":[\"t1\",\"t2\"]}"),
                    ActionContext.empty());
            assertThat(result.ok()).isTrue();
        }
        RecordedRequest request = server.takeRequest();
        assertThat(request.getUrl().encodedPath()).isEqualTo("/api/items/.a,b/;matrix=x;matrix=y");
        assertThat(request.getUrl().queryParameter("filter[state]")).isEqualTo("open");
        assertThat(request.getUrl().queryParameter("ids")).isEqualTo("1|2");
        assertThat(request.getHeaders().get("Content-Type")).startsWith("application/x-www-form-urlencoded");
        assertThat(request.getBody().utf8()).isEqualTo("note=hi+there&tags=t1&tags=t2");
    }

    @Test
    void per_contact_api_key_goes_where_the_scheme_says() throws Exception {
        Action action = Action.builder("mine")
                .get("/mine")
                .baseUrl(base())
                .security("contactKey")
                .build();
        server.enqueue(ok("{}"));
        try (ActionExecutor ex = executor()
                .auth("contactKey", ActionAuth.perContactApiKey(ActionAuth.In.QUERY, "token"))
                .build()) {
            ActionResult result = ex.execute(
                    action,
                    null,
                    ActionContext.builder()
                            .credential("contactKey", "ck-secret")
                            .build());
            assertThat(result.ok()).isTrue();
            assertThat(result.request().url()).doesNotContain("ck-secret");
        }
        assertThat(server.takeRequest().getUrl().queryParameter("token")).isEqualTo("ck-secret");
    }

    @Test
    void concurrent_calls_share_one_token_fetch() throws Exception {
        Action action =
                Action.builder("o").get("/o").baseUrl(base()).security("oauth").build();
        server.setDispatcher(new mockwebserver3.Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                if (request.getUrl().encodedPath().equals("/token")) {
                    return ok("{\"access_token\":\"t1\",\"expires_in\":3600}")
                            .newBuilder()
                            .headersDelay(200, TimeUnit.MILLISECONDS)
                            .build();
                }
                return ok("{}");
            }
        });
        try (ActionExecutor ex = executor()
                .auth(
                        "oauth",
                        ActionAuth.oauth2ClientCredentials(server.url("/token").toString(), "client", "cs-secret"))
                .build()) {
            List<java.util.concurrent.CompletableFuture<ActionResult>> calls = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                calls.add(java.util.concurrent.CompletableFuture.supplyAsync(
                        () -> ex.execute(action, null, ActionContext.empty())));
            }
            for (var call : calls) {
                assertThat(call.get(10, TimeUnit.SECONDS).ok()).isTrue();
            }
        }
        List<String> paths = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            paths.add(server.takeRequest().getUrl().encodedPath());
        }
        assertThat(paths).filteredOn("/token"::equals).hasSize(1);
        assertThat(server.getRequestCount()).isEqualTo(5);
    }

    @Test
    void a_token_answer_without_a_token_is_a_server_error() {
        Action action =
                Action.builder("o").get("/o").baseUrl(base()).security("oauth").build();
        server.enqueue(ok("<html>login</html>"));
        server.enqueue(ok("{\"token_type\":\"Bearer\"}"));
        try (ActionExecutor ex = executor()
                .auth(
                        "oauth",
                        ActionAuth.oauth2ClientCredentials(server.url("/token").toString(), "client", "cs-secret"))
                .build()) {
            ActionResult notJson = ex.execute(action, null, ActionContext.empty());
            assertThat(notJson.outcome()).isEqualTo(Outcome.SERVER_ERROR);
            assertThat(notJson.explanation()).contains("a body that is not JSON");
            ActionResult noToken = ex.execute(action, null, ActionContext.empty());
            assertThat(noToken.outcome()).isEqualTo(Outcome.SERVER_ERROR);
            assertThat(noToken.explanation()).contains("without an access_token");
        }
    }

    @Test
    void a_given_client_is_used_and_its_failures_become_results_without_their_message() throws Exception {
        okhttp3.OkHttpClient client = new okhttp3.OkHttpClient.Builder()
                .addInterceptor(chain -> {
                    throw new IllegalStateException("boom " + chain.request().url());
                })
                .build();
        Action action =
                Action.builder("s").get("/s").baseUrl(base()).security("q").build();
        try (ActionExecutor ex = executor()
                .client(client)
                .auth("q", ActionAuth.apiKey(ActionAuth.In.QUERY, "api_key", "qry-secret-2"))
                .build()) {
            ActionResult result = ex.execute(action, null, ActionContext.empty());
            assertThat(result.outcome()).isEqualTo(Outcome.NETWORK_ERROR);
            assertThat(result.explanation())
                    .isEqualTo("The call failed in the HTTP client (IllegalStateException); hand off to a person.");
            assertThat(result.toString()).doesNotContain("secret");
        }
        assertThat(client.dispatcher().executorService().isShutdown())
                .as("a given client is not closed")
                .isFalse();
    }

    @Test
    void context_rejects_bad_values_and_hides_its_values() {
        assertThatThrownBy(() -> ActionContext.builder().idempotencyKey("a b"))
                .hasMessage("idempotency key must be printable ASCII without spaces, was 'a b'");
        assertThatThrownBy(() -> ActionContext.builder().credential("s", " "))
                .hasMessage("credential scheme name and secret must not be blank (scheme 's')");
        ActionContext ctx = ActionContext.builder()
                .contactEmail("ana@example.com")
                .attribute("plan", "gold")
                .credential("s", "cred-secret")
                .idempotencyKey("k1")
                .build();
        assertThat(ctx.value(BoundSource.attribute("plan"))).contains("gold");
        assertThat(ctx.toString()).doesNotContain("ana@", "gold", "cred-secret", "k1");
    }

    @Test
    void redirects_are_not_followed() {
        server.enqueue(new MockResponse.Builder()
                .code(302)
                .addHeader("Location", "https://elsewhere.example/")
                .build());
        try (ActionExecutor ex = executor().build()) {
            ActionResult result = ex.execute(
                    getOrder(),
                    args("{\"id\":\"1\"}"),
                    ActionContext.builder().contactId("c").build());
            assertThat(result.outcome()).isEqualTo(Outcome.CLIENT_ERROR);
            assertThat(result.explanation())
                    .isEqualTo("The API redirected the request (HTTP 302), which actions do not follow.");
        }
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    /** A clock the test moves. */
    static final class MutableClock extends Clock {
        private Instant now = Instant.parse("2026-01-01T00:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
