package com.example.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.sun.net.httpserver.HttpServer;
import dev.opencx.action.Action;
import dev.opencx.action.ActionContext;
import dev.opencx.action.ActionRegistry;
import dev.opencx.action.ActionResult;
import dev.opencx.action.http.ActionExecutor;
import dev.opencx.action.openapi.OpenApiImporter;
import java.net.InetSocketAddress;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.logging.HttpLoggingInterceptor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The application's OkHttp 4 library and OpenCX's action executor share one OkHttp, from one jar. */
class OkHttp4Test {

    private HttpServer server;

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/orders/1042", exchange -> {
            byte[] body = "{\"id\":\"1042\",\"status\":\"shipped\"}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void okhttp3_classes_come_from_one_jar() throws Exception {
        List<URL> copies = Collections.list(getClass().getClassLoader().getResources("okhttp3/OkHttpClient.class"));
        System.out.println("okhttp3.OkHttpClient from: " + copies);
        assertEquals(1, copies.size(), "okhttp3.OkHttpClient on the classpath " + copies.size() + " times: " + copies);
        assertTrue(
                copies.get(0).toString().contains("okhttp-jvm-5.5.1.jar"),
                copies.get(0).toString());
    }

    @Test
    void the_okhttp4_library_runs_on_okhttp5() throws Exception {
        List<String> logged = Collections.synchronizedList(new ArrayList<>());
        HttpLoggingInterceptor logging = new HttpLoggingInterceptor(logged::add); // from logging-interceptor 4.12.0
        logging.setLevel(HttpLoggingInterceptor.Level.BASIC);
        OkHttpClient client = new OkHttpClient.Builder().addInterceptor(logging).build();
        try (Response r = client.newCall(
                        new Request.Builder().url(base() + "/orders/1042").build())
                .execute()) {
            assertEquals(200, r.code());
            assertTrue(r.body().string().contains("shipped"));
        }
        assertTrue(logged.stream().anyMatch(l -> l.startsWith("<-- 200")), logged.toString());
    }

    @Test
    void opencx_actions_call_the_api_on_the_same_okhttp() {
        ActionRegistry actions = OpenApiImporter.builder()
                .build()
                .importString(
                        """
                        openapi: 3.0.3
                        info: {title: Orders, version: "1"}
                        servers: [{url: "%s"}]
                        paths:
                          /orders/{order_id}:
                            get:
                              operationId: getOrder
                              summary: Look up an order
                              parameters:
                                - {name: order_id, in: path, required: true, schema: {type: string}}
                              responses: {"200": {description: the order}}
                        """
                                .formatted(base()));
        Action getOrder = actions.get("getOrder").orElseThrow();
        try (ActionExecutor executor = ActionExecutor.builder().build()) {
            ActionResult result = executor.execute(
                    getOrder, JsonNodeFactory.instance.objectNode().put("order_id", "1042"), ActionContext.empty());
            System.out.println("action result: " + result.outcome() + " " + result.status() + " " + result.body());
            assertTrue(result.ok(), result.toString());
            assertTrue(result.body().contains("shipped"), result.body());
        }
    }

    private String base() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }
}
