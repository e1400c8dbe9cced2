package dev.genq.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.genq.error.GenqException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The SSRF rules for customers' webhook URLs, with a resolver standing in for DNS. */
class UrlGuardTest {
    private static final Map<String, String> DNS = Map.of("hooks.example.com", "93.184.216.34", "rebind.example.com", "127.0.0.1",
        "metadata.example.com", "169.254.169.254", "mixed.example.com", "93.184.216.34,10.1.2.3");
    private final UrlGuard guard = new UrlGuard(false, UrlGuardTest::resolve);

    @Test
    void aPublicHttpsOrHttpUrlPasses() {
        assertThat(guard.check("https://hooks.example.com/genq").getHost()).isEqualTo("hooks.example.com");
        assertThat(guard.check("http://93.184.216.34:8443/x")).isNotNull();
        assertThat(guard.check("https://[2606:2800:220:1:248:1893:25c8:1946]/x")).isNotNull();
    }

    @Test
    void namesAndAddressesThatLeadInwardAreRefused() {
        for (String url : List.of("http://127.0.0.1/", "http://localhost/", "http://rebind.example.com/", "http://metadata.example.com/",
            "http://mixed.example.com/", "http://10.0.0.1/", "http://172.16.5.4/", "http://192.168.0.1/", "http://100.64.1.1/",
            "http://0.0.0.0/", "http://[::1]/", "http://[fd12::1]/", "http://[fe80::1]/", "http://[::ffff:10.0.0.1]/", "http://224.0.0.1/",
            "http://198.18.0.1/", "http://no-such-host.invalid/")) {
            assertThatThrownBy(() -> guard.check(url)).as(url).isInstanceOf(GenqException.class);
        }
    }

    @Test
    void otherSchemesCredentialsAndJunkAreRefused() {
        for (String url : List.of("ftp://hooks.example.com/", "file:///etc/passwd", "gopher://hooks.example.com/",
            "https://user:pw@hooks.example.com/", "not a url", "", "https:///path-only")) {
            assertThatThrownBy(() -> guard.check(url)).as(url).isInstanceOf(GenqException.class);
        }
    }

    @Test
    void loopbackPassesOnlyWhenAllowedAndNothingElseInwardDoes() {
        UrlGuard forTests = new UrlGuard(true, UrlGuardTest::resolve);
        assertThat(forTests.check("http://127.0.0.1:8080/hook")).isNotNull();
        assertThatThrownBy(() -> forTests.check("http://10.0.0.1/")).isInstanceOf(GenqException.class);
        assertThatThrownBy(() -> forTests.check("http://metadata.example.com/")).isInstanceOf(GenqException.class);
    }

    private static List<InetAddress> resolve(String host) throws UnknownHostException {
        if (host.equals("localhost")) {
            return List.of(InetAddress.getByName("127.0.0.1"));
        }
        String addresses = DNS.get(host);
        if (addresses == null) {
            if (host.endsWith(".invalid")) {
                throw new UnknownHostException(host);
            }
            return List.of(InetAddress.getByName(host)); // a literal: no lookup
        }
        List<InetAddress> all = new java.util.ArrayList<>();
        for (String a : addresses.split(",")) {
            all.add(InetAddress.getByName(a));
        }
        return all;
    }
}
