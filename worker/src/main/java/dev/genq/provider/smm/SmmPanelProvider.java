package dev.genq.provider.smm;

import com.fasterxml.jackson.databind.JsonNode;
import dev.genq.provider.Provider;
import dev.genq.provider.ProviderException;
import dev.genq.provider.ProviderRequest;
import dev.genq.provider.ProviderResult;
import dev.genq.provider.Submission;
import dev.genq.provider.TaskRef;
import dev.genq.provider.TaskState;
import dev.genq.provider.VendorHttp;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import java.math.BigDecimal;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An upstream reseller panel. The vendor model is the panel's service id; the order's inputs
 * ({@code link}, and any other the service takes) go as form fields with {@code quantity} = units.
 * Panels answer errors with HTTP 200 and {@code {"error": "..."}}; genq reads them as refusals of the
 * request, except a shortage of funds, which is the route's fault (the next route may have money).
 * A Partial order delivered {@code quantity - remains}, and only that share is charged. Panels take
 * no idempotency key: an add whose answer is lost is not resent.
 */
public final class SmmPanelProvider implements Provider {
    private static final Logger LOG = LoggerFactory.getLogger(SmmPanelProvider.class);
    private final VendorHttp http;

    public SmmPanelProvider(VendorHttp http) {
        this.http = http;
    }

    @Override
    public Submission submit(ProviderRequest request) throws ProviderException {
        Map<String, Object> form = new LinkedHashMap<>();
        request.inputs().forEach((name, value) -> form.put(name, String.valueOf(value)));
        form.put("service", request.model());
        form.put("quantity", Integer.toString(request.units()));
        try {
            JsonNode answer = call("add", form);
            String order = VendorHttp.text(answer, "order");
            if (order == null) {
                throw ProviderException.retryable("provider_malformed_response", "the panel's answer names no order");
            }
            return new Submission(order, new TaskState.Running(0));
        } catch (ProviderException e) {
            throw e.afterSubmit(false);
        }
    }

    @Override
    public TaskState check(TaskRef task) throws ProviderException {
        JsonNode order = call("status", Map.of("order", task.id()));
        String status = String.valueOf(VendorHttp.text(order, "status"));
        return switch (status) {
            case "Completed" -> new TaskState.Done(new ProviderResult(List.of(), task.units()));
            case "Partial" -> new TaskState.Done(new ProviderResult(List.of(), delivered(task.units(), order)));
            case "Canceled", "Cancelled" -> new TaskState.Failed(ProviderException.cancelled("the panel canceled the order"));
            case "Pending", "In progress", "Processing" -> new TaskState.Running(progress(task.units(), order));
            default -> throw ProviderException.retryable("provider_malformed_response", "unknown order status " + status);
        };
    }

    @Override
    public boolean cancel(TaskRef task) {
        try {
            JsonNode answer = call("cancel", Map.of("orders", task.id()));
            JsonNode first = answer.isArray() && !answer.isEmpty() ? answer.get(0).path("cancel") : answer;
            if (first.isObject() && first.has("error")) {
                LOG.info("panel {} did not cancel order {}: {}", http.account().getName(), task.id(), first.get("error").asText());
                return false;
            }
            return true;
        } catch (ProviderException e) {
            LOG.info("panel {} did not cancel order {}: {}", http.account().getName(), task.id(), e.getMessage());
            return false;
        }
    }

    /** The account's balance at the panel, as the panel states it ({@code "100.84 USD"}). */
    public String balance() throws ProviderException {
        JsonNode answer = call("balance", Map.of());
        return VendorHttp.text(answer, "balance") + " " + VendorHttp.text(answer, "currency");
    }

    private static int delivered(int ordered, JsonNode order) throws ProviderException {
        String remains = VendorHttp.text(order, "remains");
        try {
            int left = new BigDecimal(remains == null ? "" : remains.trim()).intValueExact();
            return Math.clamp(ordered - (long) left, 0, ordered);
        } catch (NumberFormatException | ArithmeticException e) {
            throw ProviderException.retryable("provider_malformed_response", "a Partial order without readable remains");
        }
    }

    private static int progress(int ordered, JsonNode order) {
        String remains = VendorHttp.text(order, "remains");
        if (remains == null || !remains.trim().matches("\\d+") || ordered <= 0) {
            return 0;
        }
        return (int) Math.clamp(100L * (ordered - Long.parseLong(remains.trim())) / ordered, 0, 99);
    }

    private JsonNode call(String action, Map<String, Object> fields) throws ProviderException {
        Map<String, Object> form = new LinkedHashMap<>(fields);
        form.put("key", http.account().getApiKey() == null ? "" : http.account().getApiKey());
        form.put("action", action);
        String operation = switch (action) {
            case "add" -> "submit";
            case "status" -> "poll";
            default -> action;
        };
        JsonNode answer = http.json(operation, HttpRequest.POST(URI.create(http.account().getBaseUrl()).getPath(), form).contentType(MediaType.APPLICATION_FORM_URLENCODED_TYPE),
            body -> new VendorHttp.VendorError(null, VendorHttp.text(body, "error")));
        if (answer != null && answer.isObject() && answer.has("error")) {
            throw refusal(answer.get("error").asText());
        }
        if (answer == null || answer.isNull()) {
            throw ProviderException.retryable("provider_malformed_response", "the panel answered " + action + " with nothing");
        }
        return answer;
    }

    /** A panel's refusal: no funds and a bad key are the route's problem; the rest is about the order. */
    private static ProviderException refusal(String message) {
        String lower = message.toLowerCase(java.util.Locale.ROOT);
        if (lower.contains("fund") || lower.contains("balance")) {
            return new ProviderException(false, true, true, "provider_insufficient_funds", "the panel refused: " + message);
        }
        if (lower.contains("key")) {
            return new ProviderException(false, true, true, "provider_unauthorized", "the panel refused: " + message);
        }
        return ProviderException.permanent("provider_rejected", "the panel refused: " + message);
    }
}
