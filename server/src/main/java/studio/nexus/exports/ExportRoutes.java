package studio.nexus.exports;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.UUID;
import studio.nexus.bounce.MasterSafety;
import studio.nexus.db.Identity;
import studio.nexus.web.AudioResponses;
import studio.nexus.web.Caller;
import studio.nexus.web.JsonInput;
import studio.nexus.web.PathIds;

/** HTTP handlers of exports: request one, download its file. Parse, call, answer. */
public final class ExportRoutes {
    private final Exports exports;
    private final long maxBody;

    public ExportRoutes(Exports exports, long maxBody) {
        this.exports = exports;
        this.maxBody = maxBody;
    }

    private static UUID projectId(Context ctx) {
        return PathIds.uuid(ctx, "id", "Project");
    }

    public void export(Context ctx) {
        Identity me = Caller.signedIn(ctx);
        UUID id = projectId(ctx);
        JsonInput in = JsonInput.of(ctx, maxBody).allowOnly("format", "bit_depth", "mp3", "source", "safety_limiter",
                "limiter_ceiling_dbtp");
        ObjectNode format = ExportOptions.parse(in);
        String source = in.text("source", 1, 10, false).orElse("original");
        if (!source.equals("original") && !source.equals("processed")) {
            in.reject("source", "must be original or processed");
        }
        MasterSafety safety = MasterSafety.read(in, true);
        in.done();
        ctx.status(202).json(exports.export(me, id, format, source, safety));
    }

    public void exportFile(Context ctx) throws IOException {
        Identity who = Caller.identity(ctx);
        UUID id = projectId(ctx);
        UUID job = PathIds.uuid(ctx, "jobId", "Export");
        String key = exports.exportKey(who, id, job);
        String name = "export-" + job + key.substring(key.lastIndexOf('.'));
        if (AudioResponses.serve(ctx, exports.storage(), key, name)) {
            exports.countDownload(who, id);
        }
    }
}
