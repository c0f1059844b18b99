package dev.opencx.action;

import dev.opencx.test.action.ActionInvokerContract;
import dev.opencx.test.action.RecordingActionInvoker;

/** The test kit's in-process invoker keeps the {@link ActionInvoker} contract. */
class RecordingActionInvokerContractTest extends ActionInvokerContract {
    private RecordingActionInvoker invoker;

    @Override
    protected ActionInvoker newInvoker() {
        invoker = new RecordingActionInvoker();
        return invoker;
    }

    @Override
    protected String baseUrl() {
        return "https://orders.example";
    }

    @Override
    protected int callsReceived() {
        return invoker.calls().size();
    }
}
