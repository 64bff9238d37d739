package dev.xssab.ui;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.xssab.audit.AuditStore;
import dev.xssab.render.ExplanationRecords;
import dev.xssab.schemas.RequestIds;
import dev.xssab.schemas.avro.Explanation;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.sql.SQLException;
import java.util.Optional;
import java.util.Set;
import javax.imageio.ImageIO;

/** One request's page: its stored decision and explanation (GET /api/requests/{id}) and the explanation's pictures. */
final class RequestController {
    private static final ObjectMapper TAGS = new ObjectMapper();
    private static final Set<String> SIDES = Set.of("probe", "reference");
    private static final Set<String> KINDS = Set.of("face", "positive", "negative", "combined");

    /** A stored decision; {@code explanation} is left out when the request was not explained. */
    record RequestView(String requestId, String model, double score, double threshold, String thresholdSource, String decision,
            String completedAt, String submittedBy, boolean authenticated, JsonNode tags,
            @JsonInclude(JsonInclude.Include.NON_NULL) ExplanationView explanation) {}

    /** The explanation's similarity split (s+ and s-) of each face. */
    record ExplanationView(double threshold, double probeSPlus, double probeSMinus, double referenceSPlus, double referenceSMinus) {
        static ExplanationView of(Explanation x) {
            return new ExplanationView(x.getThreshold(), x.getProbe().getSPlus(), x.getProbe().getSMinus(),
                    x.getReference().getSPlus(), x.getReference().getSMinus());
        }
    }

    private final AuditStore audit;

    RequestController(AuditStore audit) {
        this.audit = audit;
    }

    void request(Context ctx) throws IOException, SQLException {
        String id = ctx.pathParam("id");
        if (refusedId(ctx, id)) {
            return;
        }
        Optional<AuditStore.Row> row;
        Optional<Explanation> x;
        synchronized (audit) { // one JDBC connection, shared with nobody else in this process
            row = audit.result(id);
            x = audit.explanation(id);
        }
        if (row.isEmpty()) {
            ctx.status(HttpStatus.NOT_FOUND).json(new ApiError("no stored decision for " + id));
            return;
        }
        AuditStore.Row r = row.get();
        ctx.json(new RequestView(r.requestId(), r.modelId(), r.score(), r.threshold(), r.thresholdSource(), r.decision(),
                r.completedAt().toString(), r.submittedBy(), r.submitterAuthenticated(), TAGS.readTree(r.tagsJson()),
                x.map(ExplanationView::of).orElse(null)));
    }

    /** An id no stage would have accepted is the caller's mistake: a one-line 400, before the store is asked. */
    private static boolean refusedId(Context ctx, String id) {
        if (RequestIds.valid(id)) {
            return false;
        }
        ctx.status(HttpStatus.BAD_REQUEST).json(new ApiError("a requestId has 1 to " + RequestIds.MAX_LENGTH + " characters, this one "
                + (id == null ? 0 : id.length())));
        return true;
    }

    /** One picture of a stored explanation: side probe|reference, kind face|positive|negative|combined (.png). */
    void image(Context ctx) throws IOException, SQLException {
        String side = ctx.pathParam("side");
        String kind = ctx.pathParam("kind").replaceFirst("\\.png$", "");
        if (!SIDES.contains(side) || !KINDS.contains(kind)) {
            ctx.status(HttpStatus.NOT_FOUND).json(new ApiError("no such picture: side is probe or reference, kind is face, positive,"
                    + " negative or combined"));
            return;
        }
        String id = ctx.pathParam("id");
        if (refusedId(ctx, id)) {
            return;
        }
        Optional<Explanation> x;
        Optional<AuditStore.ImagesErased> erased;
        synchronized (audit) {
            x = audit.explanation(id);
            erased = x.isPresent() ? Optional.empty() : audit.imagesErased(id);
        }
        if (erased.isPresent()) {
            ctx.status(HttpStatus.GONE).json(new ApiError("the images of " + id + " were erased on " + erased.get().at() + " ("
                    + erased.get().why() + ")"));
            return;
        }
        if (x.isEmpty()) {
            ctx.status(HttpStatus.NOT_FOUND).json(new ApiError("no stored explanation for " + id));
            return;
        }
        BufferedImage picture = ExplanationRecords.tiles(x.get(), side.equals("probe")).get(kind);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(picture, "png", out);
        ctx.header("Cache-Control", "private, no-store").contentType("image/png").result(out.toByteArray());
    }
}
