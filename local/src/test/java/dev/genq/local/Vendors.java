package dev.genq.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.genq.devkit.emulator.FalEmulator;
import dev.genq.devkit.emulator.KlingStyleEmulator;
import dev.genq.devkit.emulator.OpenAiEmulator;
import dev.genq.devkit.emulator.ProviderEmulator;
import dev.genq.devkit.emulator.ReplicateEmulator;
import dev.genq.devkit.emulator.SmmPanelEmulator;
import dev.genq.devkit.emulator.VendorEmulator;
import dev.genq.devkit.services.Shutdown;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * One emulator per wire format, each with a capped provider account in the test stack and a catalog
 * model routed to it, plus a model whose primary route is broken, for failover.
 */
final class Vendors {
    static final String KEY = "vendor-key";
    /** Each vendor account's cluster-wide cap on tasks in flight. */
    static final int CAP = 2;
    static final int STALL_MS = 3_000;
    static final String REQUEST_TIMEOUT = "1500ms";
    static final String SYNC_REQUEST_TIMEOUT = "4s";
    static final String REPLICATE_SECRET = ReplicateEmulator.newWebhookSecret();
    static final String FAILOVER_MODEL = "failover-text";
    /** A reseller order that takes up to three days, which its owner may cancel after it started. */
    static final String LONG_ORDER_MODEL = "smm-views-3d";

    /** A vendor as the tests see it: its catalog model, its emulator, and how its tasks are counted. */
    record Vendor(String name, String model, VendorEmulator emulator, boolean idempotent, boolean async,
                  boolean files, boolean webhooks, String input) {
        /** The marker the emulator counts this generation's tasks by. */
        String marker(String generationId, String text) {
            return idempotent ? generationId : text;
        }

        /** What carries {@code directives} to the emulator: the prompt, or an order's link. */
        String text(String directives) {
            return input.equals("link") ? "https://t.me/" + directives : directives;
        }

        /** The JSON inputs of a generation whose prompt (or link) is {@link #text}. */
        String inputs(String directives) {
            return input.equals("link")
                ? "{\"link\":\"" + text(directives) + "\",\"quantity\":100}" : "{\"prompt\":\"" + directives + "\"}";
        }

        @Override
        public String toString() {
            return name;
        }
    }

    final OpenAiEmulator openai;
    final ReplicateEmulator replicate;
    final FalEmulator fal;
    final SmmPanelEmulator smm;
    final KlingStyleEmulator kling;
    final List<Vendor> all;

    private final ProviderEmulator generic;

    /** @param generic the stack's emulator of genq's protocol, one more vendor here under its own key */
    Vendors(ProviderEmulator generic) throws IOException {
        this.generic = generic; // closed by the stack that made it
        generic.acceptKey(KEY);
        generic.stallFor(STALL_MS);
        generic.webhookSecret(KEY, Wiring.EMULATOR_WEBHOOK_SECRET);
        openai = started(new OpenAiEmulator(0, 300));
        openai.stallFor(STALL_MS + 3_000);
        replicate = started(new ReplicateEmulator(0, 300));
        replicate.webhookSecret(KEY, REPLICATE_SECRET);
        fal = started(new FalEmulator(0, 300).serve("fal-ai/flux/dev"));
        fal.signWebhooks();
        smm = started(new SmmPanelEmulator(0, 300));
        kling = started(new KlingStyleEmulator(0, 300));
        all = List.of(
            new Vendor("generic", "generic-image", generic, true, true, true, true, "prompt"),
            new Vendor("openai", "oa-image", openai, false, false, true, false, "prompt"),
            new Vendor("replicate", "rep-video", replicate, false, true, true, true, "prompt"),
            new Vendor("fal", "fal-image", fal, false, true, true, true, "prompt"),
            new Vendor("smm", "smm-views", smm, false, true, false, false, "link"),
            new Vendor("kling", "kling-video", kling, false, true, true, false, "prompt"));
    }

    private static <E extends VendorEmulator> E started(E emulator) {
        emulator.acceptKey(KEY);
        emulator.stallFor(STALL_MS);
        Shutdown.register(emulator);
        return emulator;
    }

    /** The provider accounts, as configuration. */
    void configure(Map<String, Object> p) {
        account(p, "generic", "generic", generic.baseUrl());
        p.put("genq.providers.generic.webhook-secret", Wiring.EMULATOR_WEBHOOK_SECRET);
        account(p, "openai", "openai", openai.baseUrl());
        p.put("genq.providers.openai.request-timeout", SYNC_REQUEST_TIMEOUT); // the answer is the finished image
        account(p, "replicate", "replicate", replicate.baseUrl());
        p.put("genq.providers.replicate.webhook-secret", REPLICATE_SECRET);
        account(p, "fal", "fal", fal.baseUrl());
        p.put("genq.providers.fal.webhook-jwks-url", fal.jwksUrl());
        account(p, "smm", "smm", smm.apiUrl());
        account(p, "kling", "generic", kling.baseUrl());
        p.put("genq.providers.broken.base-url", generic.baseUrl());
        p.put("genq.providers.broken.api-key", "a-key-the-vendor-does-not-know");
    }

    private static void account(Map<String, Object> p, String name, String type, String baseUrl) {
        String prefix = "genq.providers." + name + ".";
        p.put(prefix + "type", type);
        p.put(prefix + "base-url", baseUrl);
        p.put(prefix + "api-key", KEY);
        p.put(prefix + "poll-interval", "200ms");
        p.put(prefix + "webhook-poll-interval", "1s");
        p.put(prefix + "request-timeout", REQUEST_TIMEOUT);
        p.put(prefix + "max-concurrency", CAP);
    }

    /** The catalog models routed to each vendor, appended to {@code models}. */
    static void addModels(ArrayNode models, ObjectMapper json) {
        model(models, "oa-image", "image", 10, "n").putArray("routes").addObject().put("provider", "openai").put("model", "gpt-image-1");
        model(models, "rep-video", "video", 30, null).putArray("routes").addObject().put("provider", "replicate").put("model", "genq/video-model");
        model(models, "fal-image", "image", 10, null).putArray("routes").addObject().put("provider", "fal").put("model", "fal-ai/flux/dev");
        ObjectNode smm = model(models, "smm-views", "order", 1, "quantity");
        smm.putArray("routes").addObject().put("provider", "smm").put("model", "1042");
        ((ObjectNode) smm.get("inputs")).remove("prompt");
        ((ObjectNode) smm.get("inputs")).putObject("link").put("type", "string").put("required", true);
        ((ObjectNode) smm.get("inputs")).putObject("quantity").put("type", "integer").put("min", 10).put("max", 1000).put("default", 100);
        ObjectNode order = model(models, LONG_ORDER_MODEL, "order", 1, "quantity").put("cancelAfterStart", true);
        order.putArray("routes").addObject().put("provider", "smm").put("model", "1042").put("deadline", "PT72H");
        order.putObject("failureFees").put("provider_rejected", "price"); // a wrong link is not compensated
        order.set("inputs", smm.get("inputs").deepCopy());
        ObjectNode kling = model(models, "kling-video", "video", 30, null);
        ObjectNode route = kling.putArray("routes").addObject().put("provider", "kling").put("model", "kling-v1");
        route.set("options", json.valueToTree(KlingStyleEmulator.ROUTE_OPTIONS));
        ObjectNode failover = model(models, FAILOVER_MODEL, "text", 1, null);
        failover.putArray("routes").add(json.createObjectNode().put("provider", "broken")).add(json.createObjectNode().put("provider", "emulator"));
    }

    private static ObjectNode model(ArrayNode models, String id, String kind, long coins, String unitsFrom) {
        ObjectNode model = models.addObject().put("id", id).put("kind", kind).put("coinsPerUnit", coins);
        if (unitsFrom != null) {
            model.put("unitsFrom", unitsFrom);
        }
        ObjectNode inputs = model.putObject("inputs");
        inputs.putObject("prompt").put("type", "string").put("required", true);
        if ("n".equals(unitsFrom)) {
            inputs.putObject("n").put("type", "integer").put("min", 1).put("max", 4).put("default", 1);
        }
        return model;
    }
}
