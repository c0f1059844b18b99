package dev.opencx.action.http;

import dev.opencx.action.ActionInvoker;
import dev.opencx.test.action.ActionInvokerContract;
import java.time.Duration;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;

/** The HTTP executor keeps the {@link ActionInvoker} contract, against a real HTTP server. */
class ActionExecutorContractTest extends ActionInvokerContract {
    @StartStop
    private final MockWebServer server = new MockWebServer();

    @Override
    protected ActionInvoker newInvoker() {
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return new MockResponse.Builder()
                        .code(200)
                        .addHeader("Content-Type", "application/json")
                        .body("{\"status\":\"cancelled\"}")
                        .build();
            }
        });
        return ActionExecutor.builder().readTimeout(Duration.ofSeconds(10)).build();
    }

    @Override
    protected String baseUrl() {
        return server.url("/").toString();
    }

    @Override
    protected int callsReceived() {
        return server.getRequestCount();
    }
}
