package dev.xssab.registry;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.security.RouteRole;
import java.util.Optional;

/**
 * HTTP basic authentication against {@link RegistryUsers}: every request, known route or not,
 * must name a user (401 otherwise); a route marked {@link Access#WRITE}, and any request that is
 * not a GET on no route at all, needs the write role (403 for a reader). Without users, anyone
 * may do anything.
 */
final class RegistryAuth {
    /** What a route does, and so which role it needs. */
    enum Access implements RouteRole {
        /** GET, a schema lookup, a compatibility test. */
        READ,
        /** Registering a schema, changing compatibility. */
        WRITE
    }

    private static final String ROLE = "xssab.registry.role";

    private final RegistryUsers users;

    RegistryAuth(RegistryUsers users) {
        this.users = users;
    }

    /** Checks every request before routing, and every routed one against its route's access. */
    void install(Javalin app) {
        if (users == null) {
            return;
        }
        app.before(this::authenticate);
        app.beforeMatched(ctx -> {
            if (ctx.routeRoles().contains(Access.WRITE)) {
                requireWrite(ctx);
            }
        });
    }

    private void authenticate(Context ctx) {
        Optional<RegistryUsers.Role> role = users.authenticate(ctx.header("Authorization"));
        if (role.isEmpty()) {
            ctx.header("WWW-Authenticate", "Basic realm=\"xssab-schema-registry\"");
            throw new RegistryError(401, 401, "Unauthorized");
        }
        ctx.attribute(ROLE, role.get());
    }

    /**
     * The refusal of a request no route serves, or null: a GET is simply not found, anything else
     * counts as a write and is refused to a reader before it is found missing.
     */
    RegistryError refusalOfUnrouted(Context ctx) {
        return users == null || ctx.method() == HandlerType.GET ? null : writeRefusal(ctx);
    }

    private static void requireWrite(Context ctx) {
        RegistryError refused = writeRefusal(ctx);
        if (refused != null) {
            throw refused;
        }
    }

    private static RegistryError writeRefusal(Context ctx) {
        return ctx.attribute(ROLE) == RegistryUsers.Role.WRITE ? null
                : new RegistryError(403, 40301, "User is denied operation Write on " + ctx.path());
    }
}
