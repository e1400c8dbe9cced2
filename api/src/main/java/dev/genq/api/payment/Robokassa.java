package dev.genq.api.payment;

import dev.genq.error.ErrorCode;
import dev.genq.error.GenqException;
import dev.genq.http.ErrorResponses;
import dev.genq.infra.Crypto;
import dev.genq.ledger.Coins;
import dev.genq.payment.PaymentNotice;
import dev.genq.payment.Payments;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Produces;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Robokassa, the payment interface with JSON invoice creation: {@code POST /Merchant/Indexjson.aspx}
 * (MerchantLogin, OutSum, InvId = the top-up's number, Description, SignatureValue =
 * hash(MerchantLogin:OutSum:InvId:Password#1)) answers an invoiceID whose page is
 * {@code /Merchant/Index/{invoiceID}}. ResultURL notifications (form fields) are trusted by
 * SignatureValue = hash(OutSum:InvId:Password#2[:Shp_x=y…]) and answered {@code OK<InvId>}; they
 * come only for paid invoices.
 */
@ErrorResponses
@Controller("/webhooks/robokassa")
@ExecuteOn(TaskExecutors.BLOCKING)
class Robokassa extends Gateway {
    static final String NAME = "robokassa";
    private final PaymentsConfig.Robokassa config;
    private final Payments payments;

    Robokassa(PaymentsConfig.Robokassa config, Payments payments) {
        super(new Profile(NAME, "RUB", Set.of("RUB")));
        this.config = config;
        this.payments = payments;
    }

    @Override
    public boolean configured() {
        return Gateway.set(config.getMerchantLogin()) && Gateway.set(config.getPassword1()) && Gateway.set(config.getPassword2());
    }

    @Override
    public Created create(Order order) {
        String sum = Amounts.cents(order.amount());
        Map<String, String> form = new LinkedHashMap<>();
        form.put("MerchantLogin", config.getMerchantLogin());
        form.put("OutSum", sum);
        form.put("InvId", Long.toString(order.number()));
        form.put("Description", order.description());
        form.put("SignatureValue", hash(config.getMerchantLogin() + ":" + sum + ":" + order.number() + ":" + config.getPassword1()));
        form.put("Culture", "ru");
        if (config.isTest()) {
            form.put("IsTest", "1");
        }
        var answer = GatewayCalls.send(NAME, GatewayCalls.request(config.getBaseUrl(), "/Merchant/Indexjson.aspx")
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(java.net.http.HttpRequest.BodyPublishers.ofString(GatewayCalls.form(form))).build());
        String invoice = answer.path("invoiceID").asText("");
        if (answer.path("errorCode").asInt(0) != 0 || invoice.isBlank()) {
            throw GatewayCalls.refused(NAME, "refused the invoice: " + answer.path("errorMessage").asText("error " + answer.path("errorCode")));
        }
        return new Created(invoice, config.getBaseUrl() + "/Merchant/Index/" + invoice);
    }

    @Post
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_PLAIN)
    String result(@Body Map<String, String> form) {
        if (!configured()) {
            throw GenqException.notFound("Robokassa is not configured");
        }
        String sum = form.getOrDefault("OutSum", "");
        String invId = form.getOrDefault("InvId", "");
        StringBuilder signed = new StringBuilder(sum).append(':').append(invId).append(':').append(config.getPassword2());
        new TreeMap<>(form).forEach((k, v) -> {
            if (k.regionMatches(true, 0, "Shp_", 0, 4)) {
                signed.append(':').append(k).append('=').append(v);
            }
        });
        String presented = form.getOrDefault("SignatureValue", "").toLowerCase(Locale.ROOT);
        if (!MessageDigest.isEqual(hash(signed.toString()).getBytes(StandardCharsets.US_ASCII), presented.getBytes(StandardCharsets.US_ASCII))) {
            throw new GenqException(ErrorCode.UNAUTHORIZED, "bad or missing SignatureValue");
        }
        if (!invId.matches("[0-9]{1,18}")) {
            throw new GenqException(ErrorCode.INVALID_REQUEST, "InvId must be the top-up's number");
        }
        payments.handle(new PaymentNotice(NAME, null, invId, "paid", 1, PaymentNotice.Outcome.PAID, Coins.money(sum, "OutSum"), null));
        return "OK" + invId;
    }

    private String hash(String text) {
        return Crypto.digestHex(config.getHashAlgorithm().toUpperCase(Locale.ROOT), text);
    }
}
