package dev.xssab.kafka;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;

/**
 * Who may read and write what, as a Markdown table generated from {@link ClusterAccess#acls}: one
 * row per principal, so that the README's table cannot drift from the ACLs the broker enforces.
 * A name ending in {@code *} is a prefix; DESCRIBE, which READ and WRITE imply, is not shown.
 */
public final class AclTable {
    private AclTable() {}

    /** The table of {@code acls}, principals in their first order of appearance. */
    public static String markdown(List<AclBinding> acls) {
        Map<String, Map<String, Set<String>>> byPrincipal = new LinkedHashMap<>();
        for (AclBinding b : acls) {
            String principal = b.entry().principal().substring("User:".length());
            String column = column(b.entry().operation());
            if (column != null) {
                byPrincipal.computeIfAbsent(principal, p -> new LinkedHashMap<>())
                        .computeIfAbsent(column, c -> new TreeSet<>())
                        .add((column.equals("also") ? operation(b.entry().operation()) + " on " : "") + resource(b.pattern()));
            }
        }
        StringBuilder out = new StringBuilder("| principal | reads | writes | also |\n| --- | --- | --- | --- |\n");
        byPrincipal.forEach((principal, columns) -> out.append("| `").append(principal).append("` | ")
                .append(cell(columns.get("reads"))).append(" | ").append(cell(columns.get("writes"))).append(" | ")
                .append(cell(columns.get("also"))).append(" |\n"));
        return out.toString();
    }

    private static String column(AclOperation op) {
        return switch (op) {
            case READ -> "reads";
            case WRITE -> "writes";
            case DESCRIBE -> null;
            default -> "also";
        };
    }

    /** A topic by its name, other resources by kind: {@code group g*}, {@code transactional id t*}; ALL and CREATE say so. */
    private static String resource(ResourcePattern p) {
        String name = p.name() + (p.patternType() == PatternType.PREFIXED ? "*" : "");
        return switch (p.resourceType()) {
            case TOPIC -> "`" + name + "`";
            case GROUP -> "group `" + name + "`";
            case TRANSACTIONAL_ID -> "transactional id `" + name + "`";
            default -> p.resourceType().name().toLowerCase(Locale.ROOT) + " `" + name + "`";
        };
    }

    private static String operation(AclOperation op) {
        return op.name().toLowerCase(Locale.ROOT).replace('_', ' ');
    }

    private static String cell(Set<String> resources) {
        return resources == null ? "-" : String.join(", ", resources);
    }
}
