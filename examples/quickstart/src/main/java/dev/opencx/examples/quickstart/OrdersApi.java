package dev.opencx.examples.quickstart;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store's order API, served in-process on a free port of 127.0.0.1 so the quickstart's actions
 * have a real HTTP API to call ({@code quickstart/orders-openapi.yaml} describes it). Every
 * customer starts with the same three orders (1042 processing, 1043 shipped, 1044 delivered), kept
 * per customer in memory: cancelling 1042 for one console customer leaves the others' alone. A
 * request needs the store key ({@code X-Store-Key}); an order of another customer is "not found";
 * a cancel with an {@code Idempotency-Key} already seen answers as the first time did.
 */
final class OrdersApi implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(OrdersApi.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern ORDER = Pattern.compile("/api/orders/([^/]+)");
    private static final Pattern CANCEL = Pattern.compile("/api/orders/([^/]+)/cancel");

    /** One order of one customer. */
    private static final class Order {
        final String id;
        final String items;
        final String total;
        volatile String status;
        final String eta;

        Order(String id, String items, String total, String status, String eta) {
            this.id = id;
            this.items = items;
            this.total = total;
            this.status = status;
            this.eta = eta;
        }

        ObjectNode json() {
            ObjectNode o = JSON.createObjectNode()
                    .put("order_id", id)
                    .put("status", status)
                    .put("items", items)
                    .put("total", total);
            switch (status) {
                case "processing" -> o.put("eta", eta)
                        .put(
                                "status_detail",
                                "it is being prepared and should arrive by " + eta + ". It can still be cancelled.");
                case "shipped" -> o.put("eta", eta)
                        .put("tracking_url", "https://northwind.example/track/" + id)
                        .put(
                                "status_detail",
                                "it is on its way and should arrive by " + eta
                                        + ". Track it at https://northwind.example/track/" + id + ".");
                case "delivered" -> o.put("status_detail", "it was delivered on " + eta + ".");
                default -> o.put("status_detail", "it was cancelled and refunded.");
            }
            return o;
        }
    }

    private final HttpServer server;
    private final ExecutorService executor;
    private final String key;
    private final Map<String, Map<String, Order>> ordersByCustomer = new ConcurrentHashMap<>();
    private final Map<String, String> answeredCancels = new ConcurrentHashMap<>();

    private OrdersApi(HttpServer server, ExecutorService executor, String key) {
        this.server = server;
        this.executor = executor;
        this.key = key;
    }

    /** Starts the API on a free port of the loopback interface. */
    static OrdersApi start() throws IOException {
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        String key = "nw_" + HexFormat.of().formatHex(random);
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        ExecutorService executor = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "quickstart-orders-api");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        OrdersApi api = new OrdersApi(server, executor, key);
        server.createContext("/api/orders", api::handle);
        server.start();
        return api;
    }

    /** The port it listens on. */
    int port() {
        return server.getAddress().getPort();
    }

    /** The store key the API accepts in {@code X-Store-Key}. */
    String key() {
        return key;
    }

    private Map<String, Order> ordersOf(String customer) {
        return ordersByCustomer.computeIfAbsent(customer, c -> {
            Map<String, Order> orders = new LinkedHashMap<>();
            orders.put("1042", new Order("1042", "Trail Runner 2 shoes, size 42", "$89.00", "processing", "Nov 27"));
            orders.put("1043", new Order("1043", "Alpine down jacket, M", "$189.00", "shipped", "Nov 24"));
            orders.put("1044", new Order("1044", "Merino socks, 3 pairs", "$27.00", "delivered", "Nov 12"));
            return orders;
        });
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getPath();
            if (!constantTimeEquals(ex.getRequestHeaders().getFirst("X-Store-Key"), key)) {
                send(ex, 401, error("a valid X-Store-Key header is required"));
                return;
            }
            String customer = ex.getRequestHeaders().getFirst("X-Customer-Id");
            if (customer == null || customer.isBlank()) {
                send(ex, 400, error("the X-Customer-Id header is required"));
                return;
            }
            String method = ex.getRequestMethod();
            Matcher cancel = CANCEL.matcher(path);
            Matcher order = ORDER.matcher(path);
            if (method.equals("GET") && path.equals("/api/orders")) {
                List<ObjectNode> list = new ArrayList<>();
                ordersOf(customer).values().forEach(o -> list.add(o.json()));
                ObjectNode body = JSON.createObjectNode();
                body.putArray("orders").addAll(list);
                send(ex, 200, body.toString());
            } else if (method.equals("POST") && cancel.matches()) {
                cancel(ex, customer, cancel.group(1));
            } else if (method.equals("GET") && order.matches()) {
                Order o = ordersOf(customer).get(order.group(1));
                if (o == null) {
                    send(ex, 404, error("There is no order " + order.group(1) + " on your account."));
                } else {
                    send(ex, 200, o.json().toString());
                }
            } else {
                send(ex, 404, error("no such endpoint: " + method + " " + path));
            }
        } catch (RuntimeException e) {
            log.warn("orders API failed: {}", e.toString());
        }
    }

    private void cancel(HttpExchange ex, String customer, String id) throws IOException {
        String idempotencyKey = ex.getRequestHeaders().getFirst("Idempotency-Key");
        if (idempotencyKey != null) {
            String earlier = answeredCancels.get(customer + " " + idempotencyKey);
            if (earlier != null) {
                int split = earlier.indexOf(' ');
                send(ex, Integer.parseInt(earlier.substring(0, split)), earlier.substring(split + 1));
                return;
            }
        }
        Order o = ordersOf(customer).get(id);
        int status;
        String body;
        if (o == null) {
            status = 404;
            body = error("There is no order " + id + " on your account.");
        } else {
            synchronized (o) {
                switch (o.status) {
                    case "processing" -> {
                        o.status = "cancelled";
                        status = 200;
                        body = JSON.createObjectNode()
                                .put("order_id", id)
                                .put("status", "cancelled")
                                .put("refund", o.total)
                                .toString();
                    }
                    case "cancelled" -> {
                        status = 409;
                        body = error("Order " + id + " is already cancelled.");
                    }
                    default -> {
                        status = 409;
                        body = error("Order " + id + " has already " + o.status
                                + ", so it can no longer be cancelled. You can return it within 30 days instead.");
                    }
                }
            }
        }
        if (idempotencyKey != null) {
            answeredCancels.put(customer + " " + idempotencyKey, status + " " + body);
        }
        send(ex, status, body);
    }

    private static String error(String message) {
        return JSON.createObjectNode().put("message", message).toString();
    }

    private static void send(HttpExchange ex, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static boolean constantTimeEquals(String given, String expected) {
        return given != null
                && MessageDigest.isEqual(
                        given.getBytes(StandardCharsets.UTF_8), expected.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
