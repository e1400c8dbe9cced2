package dev.genq.devkit.payments;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * Robokassa: {@code POST /Merchant/Indexjson.aspx} (form fields, SignatureValue =
 * MD5(MerchantLogin:OutSum:InvId:Password#1)) answers an invoiceID; ResultURL notifications are
 * form posts signed MD5(OutSum:InvId:Password#2), which genq must answer {@code OK<InvId>}.
 */
public final class RobokassaEmulator extends GatewayEmulator {
    private final String login;
    private final String password1;
    private final String password2;

    public RobokassaEmulator(String login, String password1, String password2) throws IOException {
        super(0, "/Merchant/");
        this.login = login;
        this.password1 = password1;
        this.password2 = password2;
    }

    @Override
    protected void handle(HttpExchange exchange, String body) throws IOException {
        Map<String, String> f = form(body);
        String expected = digestHex("MD5", login + ":" + f.get("OutSum") + ":" + f.get("InvId") + ":" + password1);
        if (!login.equals(f.get("MerchantLogin")) || !expected.equalsIgnoreCase(f.getOrDefault("SignatureValue", ""))) {
            json(exchange, 200, Map.of("invoiceID", "", "errorCode", 29, "errorMessage", "SignatureValue is invalid"));
            return;
        }
        String id = UUID.randomUUID().toString();
        invoices.put(id, new Invoice(id, f.get("InvId"), f.get("OutSum"), "RUB"));
        json(exchange, 200, Map.of("invoiceID", id, "errorCode", 0));
    }

    /** The ResultURL notification for InvId {@code invId} (created or not), paid {@code outSum}. */
    public Notification result(String invId, String outSum) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("OutSum", outSum);
        f.put("InvId", invId);
        f.put("Fee", "0.00");
        f.put("EMail", "payer@example.com");
        f.put("SignatureValue", digestHex("MD5", outSum + ":" + invId + ":" + password2).toUpperCase(Locale.ROOT));
        f.put("PaymentMethod", "BankCard");
        f.put("IncCurrLabel", "BankCardPSR");
        return formNotification(f);
    }

    public Notification paid(String invoiceId, String outSum) {
        return result(invoice(invoiceId).orderRef(), outSum);
    }
}
