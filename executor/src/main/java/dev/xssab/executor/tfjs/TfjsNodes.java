package dev.xssab.executor.tfjs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.xssab.executor.ModelFormatException;
import dev.xssab.executor.UnsupportedOpException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Reading a TF.js graph model's nodes: their order, and their attributes as model.json encodes them. */
final class TfjsNodes {
    private TfjsNodes() {}

    /** Fails at load on the first op outside {@code supported}, naming it and its node. */
    static void requireSupported(List<JsonNode> nodes, Set<String> supported) {
        for (JsonNode n : nodes) {
            String op = n.path("op").asText();
            if (!supported.contains(op)) {
                throw new UnsupportedOpException("unsupported TF.js op '" + op + "' in node '" + n.path("name").asText()
                        + "'; supported: " + String.join(", ", new TreeSet<>(supported)));
            }
        }
    }

    /** Kahn's algorithm over the nodes' inputs (control inputs included), file order among the ready ones. */
    static List<JsonNode> topologicalOrder(List<JsonNode> list) {
        Map<String, JsonNode> byName = new LinkedHashMap<>();
        list.forEach(n -> byName.put(n.path("name").asText(), n));
        Map<String, List<String>> consumers = new HashMap<>();
        Map<String, Integer> waitingFor = new HashMap<>();
        ArrayDeque<String> ready = new ArrayDeque<>();
        for (String name : byName.keySet()) {
            Set<String> deps = new HashSet<>();
            for (JsonNode input : byName.get(name).path("input")) {
                String dep = input.asText().replaceFirst("^\\^", "").replaceAll(":\\d+$", "");
                if (byName.containsKey(dep) && deps.add(dep)) {
                    consumers.computeIfAbsent(dep, k -> new ArrayList<>()).add(name);
                }
            }
            waitingFor.put(name, deps.size());
            if (deps.isEmpty()) {
                ready.add(name);
            }
        }
        List<JsonNode> order = new ArrayList<>();
        while (!ready.isEmpty()) {
            String name = ready.poll();
            order.add(byName.get(name));
            for (String c : consumers.getOrDefault(name, List.of())) {
                if (waitingFor.merge(c, -1, Integer::sum) == 0) {
                    ready.add(c);
                }
            }
        }
        if (order.size() < byName.size()) {
            String stuck = waitingFor.entrySet().stream().filter(e -> e.getValue() > 0).map(Map.Entry::getKey).findFirst().orElse("?");
            throw new ModelFormatException("the TF.js graph has a cycle through '" + stuck + "'");
        }
        return order;
    }

    static long[] shapeAttr(JsonNode n) {
        JsonNode dims = n.path("attr").path("shape").path("shape").path("dim");
        long[] out = new long[dims.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = dims.get(i).path("size").asLong(-1);
        }
        return out;
    }

    static String stringAttr(JsonNode n, String key, String dflt) {
        JsonNode s = n.path("attr").path(key).get("s");
        return s == null ? dflt : new String(Base64.getDecoder().decode(s.asText()), StandardCharsets.UTF_8);
    }

    static boolean boolAttr(JsonNode n, String key) {
        return n.path("attr").path(key).path("b").asBoolean(false);
    }

    static long[] listInts(JsonNode n, String key, long[] dflt) {
        JsonNode list = n.path("attr").path(key).path("list").get("i");
        if (list == null || list.isEmpty()) {
            return dflt;
        }
        long[] out = new long[list.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = list.get(i).asLong();
        }
        return out;
    }

    static List<String> fusedOps(JsonNode n) {
        List<String> out = new ArrayList<>();
        JsonNode list = n.path("attr").path("fused_ops").path("list").get("s");
        if (list != null) {
            list.forEach(s -> out.add(new String(Base64.getDecoder().decode(s.asText()), StandardCharsets.UTF_8)));
        }
        return out;
    }
}
