package dev.opencx.test.action;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.opencx.action.Action;
import dev.opencx.action.ActionContext;
import dev.opencx.action.ActionInvoker;
import dev.opencx.action.ActionResult;
import dev.opencx.action.ActionResult.Outcome;
import dev.opencx.action.BoundSource;
import dev.opencx.action.JsonSchemas;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The rules every {@link ActionInvoker} keeps, whatever it calls (HTTP, an in-process service, a
 * queue). Extend it in your tests: {@link #newInvoker()} gives a fresh invoker whose API answers
 * every call it receives with success, {@link #baseUrl()} the base URL actions are built with (any
 * value for an invoker that does not use it), and {@link #callsReceived()} how many calls the API
 * received so far.
 *
 * <pre>{@code
 * class MyInvokerContractTest extends ActionInvokerContract {
 *     protected ActionInvoker newInvoker() { return new MyInvoker(api); }
 *     protected String baseUrl() { return "https://orders.example"; }
 *     protected int callsReceived() { return api.calls(); }
 * }
 * }</pre>
 */
public abstract class ActionInvokerContract {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ActionInvoker invoker;

    /** A new invoker over an API that answers each call with a 2xx success. */
    protected abstract ActionInvoker newInvoker();

    /** The base URL of the actions the suite builds. */
    protected abstract String baseUrl();

    /** How many calls the API received since the test started. */
    protected abstract int callsReceived();

    @BeforeEach
    void openInvoker() {
        invoker = newInvoker();
    }

    @AfterEach
    void closeInvoker() throws Exception {
        invoker.close();
    }

    /** {@code POST /orders/{id}/cancel} with a required integer {@code quantity} and the contact's id. */
    protected Action cancelOrder() {
        return Action.builder("cancel_order")
                .post("/orders/{id}/cancel")
                .baseUrl(baseUrl())
                .pathParam("id", "The order number")
                .bodyProperty("quantity", JsonSchemas.integer(), true, "How many items")
                .header("X-Customer-Id", JsonSchemas.string(), true, "The customer")
                .contactBound("X-Customer-Id", BoundSource.CONTACT_ID)
                .build();
    }

    protected static ObjectNode args(String json) {
        try {
            return (ObjectNode) JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    protected static ActionContext contact(String id) {
        return ActionContext.builder().contactId(id).build();
    }

    @Test
    public void a_valid_call_reaches_the_api_once_and_is_reported_ok() {
        ActionResult r = invoker.execute(cancelOrder(), args("{\"id\":\"1042\",\"quantity\":1}"), contact("c-7"));
        assertThat(r).isNotNull();
        assertThat(r.action()).isEqualTo("cancel_order");
        assertThat(r.outcome()).isEqualTo(Outcome.OK);
        assertThat(r.ok()).isTrue();
        assertThat(callsReceived()).isEqualTo(1);
    }

    @Test
    public void arguments_that_do_not_fit_the_schema_are_refused_and_nothing_is_called() {
        ActionResult wrongType =
                invoker.execute(cancelOrder(), args("{\"id\":\"1042\",\"quantity\":\"many\"}"), contact("c-7"));
        ActionResult missing = invoker.execute(cancelOrder(), args("{\"id\":\"1042\"}"), contact("c-7"));
        ActionResult unknown = invoker.execute(
                cancelOrder(), args("{\"id\":\"1042\",\"quantity\":1,\"refund\":true}"), contact("c-7"));
        for (ActionResult r : List.of(wrongType, missing, unknown)) {
            assertThat(r.outcome()).isEqualTo(Outcome.INVALID_ARGUMENTS);
            assertThat(r.ok()).isFalse();
            assertThat(r.problems()).isNotEmpty();
        }
        assertThat(String.join(" ", missing.problems())).contains("quantity");
        assertThat(String.join(" ", unknown.problems())).contains("refund");
        assertThat(callsReceived()).as("no call for refused arguments").isZero();
    }

    @Test
    public void a_contact_bound_value_comes_from_the_context_never_from_the_model() {
        ActionResult r = invoker.execute(
                cancelOrder(),
                args("{\"id\":\"1042\",\"quantity\":1,\"X-Customer-Id\":\"someone-else\"}"),
                contact("c-7"));
        assertThat(r.outcome()).isEqualTo(Outcome.OK);
        assertThat(r.ignoredArguments()).containsExactly("X-Customer-Id");
        assertThat(callsReceived()).isEqualTo(1);
    }

    @Test
    public void a_required_contact_bound_value_the_context_lacks_is_refused_before_any_call() {
        ActionResult r =
                invoker.execute(cancelOrder(), args("{\"id\":\"1042\",\"quantity\":1}"), ActionContext.empty());
        assertThat(r.outcome()).isEqualTo(Outcome.INVALID_ARGUMENTS);
        assertThat(String.join(" ", r.problems())).contains("X-Customer-Id");
        assertThat(callsReceived()).isZero();
    }

    @Test
    public void check_names_the_problems_of_a_call_without_making_it() {
        assertThat(invoker.check(cancelOrder(), args("{\"id\":\"1042\",\"quantity\":1}"), contact("c-7")))
                .isEmpty();
        assertThat(invoker.check(cancelOrder(), args("{\"id\":\"1042\"}"), contact("c-7")))
                .anySatisfy(p -> assertThat(p).contains("quantity"));
        assertThat(invoker.check(cancelOrder(), null, contact("c-7"))).isNotEmpty();
        assertThat(callsReceived()).as("check never calls the API").isZero();
    }
}
