package dev.genq.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import dev.genq.devkit.Tools;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The chart as Helm itself (embedded) sees it: lint in strict mode, render with the defaults and
 * with production values, and check every rendered object against the Kubernetes model of
 * fabric8 8.0 strictly (a field the API does not know fails), then what genq needs of it.
 */
class ChartTest {
    private static final Path CHART = Path.of("genq");
    private static final Path PRODUCTION = Path.of("src", "test", "resources", "production-values.yaml");

    @Test
    void lintInStrictModeFindsNothing() {
        LintResult lint = new Helm(CHART).lint().strict().call();

        assertThat(lint.isFailed()).as("%s", lint.getMessages()).isFalse();
        assertThat(lint.getMessages()).noneMatch(m -> m.contains("[WARNING]") || m.contains("[ERROR]"));
    }

    @Test
    void theDefaultsRenderThreeRolesAndNoSecret() {
        Rendered chart = Rendered.of(new Helm(CHART).template().withName("genq"));

        assertThat(chart.kinds()).containsEntry("Deployment", 3L).containsEntry("PodDisruptionBudget", 3L)
            .containsEntry("HorizontalPodAutoscaler", 2L).containsEntry("Service", 2L).containsEntry("ConfigMap", 1L)
            .containsEntry("NetworkPolicy", 1L).doesNotContainKeys("Secret", "ScaledObject", "ServiceMonitor", "PrometheusRule");
        assertThat(chart.names("Service")).as("the dashboard is not exposed by default").containsExactlyInAnyOrder("genq-api", "genq-metrics");
        chart.objects().forEach(ChartTest::strictlyValid);
    }

    @Test
    void productionValuesRenderKedaMonitoringTheDashboardAndVendorKeysFromTheSecret() {
        Rendered chart = Rendered.of(new Helm(CHART).template().withName("genq").withValuesFile(PRODUCTION));
        String catalogDir = "/etc/genq";

        assertThat(chart.kinds()).containsEntry("ScaledObject", 1L).containsEntry("ServiceMonitor", 1L).containsEntry("PrometheusRule", 1L)
            .containsEntry("HorizontalPodAutoscaler", 1L).doesNotContainKey("Secret");
        assertThat(chart.names("Service")).contains("genq-dashboard");
        GenericKubernetesResource scaled = (GenericKubernetesResource) chart.objects().stream().filter(o -> o.getKind().equals("ScaledObject")).findFirst().orElseThrow();
        assertThat(scaled.<String>get("spec", "triggers", 0, "metadata", "query")).contains("genq_generations_active{status=\"queued\"}");
        Container worker = chart.container("worker");
        assertThat(worker.getEnv()).filteredOn(e -> e.getName().equals("GENQ_PROVIDERS_FAL_API_KEY")).singleElement()
            .satisfies(e -> assertThat(e.getValueFrom().getSecretKeyRef().getName()).isEqualTo("genq-production"));
        assertThat(chart.container("api").getEnv()).extracting(EnvVar::getName).doesNotContain("GENQ_PROVIDERS_FAL_API_KEY");
        assertThat(chart.configMap("genq-catalog").get("catalog.json")).contains("\"fal-ai/flux/dev\"");
        for (String role : List.of("api", "worker", "scheduler")) {
            assertThat(chart.container(role).getVolumeMounts()).anySatisfy(m -> assertThat(m.getMountPath()).isEqualTo(catalogDir));
            assertThat(chart.container(role).getEnv()).filteredOn(e -> e.getName().equals("GENQ_CATALOG_PATH")).singleElement()
                .satisfies(e -> assertThat(e.getValue()).isEqualTo(catalogDir + "/catalog.json"));
        }
        ConfigMap dashboard = chart.configMapObject("genq-dashboard");
        assertThat(dashboard.getMetadata().getLabels()).containsEntry("grafana_dashboard", "1");
        assertThat(dashboard.getData().get("genq.json")).contains("genq_generations_active");
        chart.objects().forEach(ChartTest::strictlyValid);
    }

    @Test
    void everyPodIsHardenedProbedAndGivenLongerThanItsDrain() {
        for (Path values : List.of(Path.of("genq", "values.yaml"), PRODUCTION)) {
            Rendered chart = Rendered.of(new Helm(CHART).template().withName("genq").withValuesFile(values));
            for (String role : List.of("api", "worker", "scheduler")) {
                Deployment deployment = chart.deployment(role);
                var pod = deployment.getSpec().getTemplate().getSpec();
                Container genq = pod.getContainers().getFirst();
                long drain = Long.parseLong(chart.configMap("genq").get("GENQ_DRAIN_GRACE").replace("s", ""));

                assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
                assertThat(genq.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
                assertThat(genq.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
                assertThat(genq.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/health/liveness");
                assertThat(genq.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/health/readiness");
                assertThat(pod.getTerminationGracePeriodSeconds()).as("%s: longer than the drain", role).isGreaterThan(drain);
                assertThat(genq.getEnv()).filteredOn(e -> e.getName().equals("GENQ_ROLES")).singleElement()
                    .satisfies(e -> assertThat(e.getValue()).isEqualTo(role));
                assertThat(genq.getEnv()).filteredOn(e -> e.getValueFrom() != null)
                    .allSatisfy(e -> assertThat(e.getValueFrom().getSecretKeyRef().getName()).isIn("genq", "genq-production"));
                assertThat(genq.getResources().getLimits()).containsKey("memory");
            }
        }
    }

    @Test
    void theShippedAlertsPassPromtool() throws Exception {
        Process promtool = new ProcessBuilder(Tools.require("promtool", "prometheus").toString(), "check", "rules",
            CHART.resolve("files").resolve("alerts.yaml").toString()).redirectErrorStream(true).start();
        String output = new String(promtool.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);

        assertThat(promtool.waitFor()).as(output).isZero();
        assertThat(output).contains("SUCCESS: 5 rules found");
    }

    @Test
    void valuesOfTheWrongTypeAreRefusedByTheSchema() {
        assertThatThrownBy(() -> new Helm(CHART).template().withName("genq").set("api.replicas", "two").call())
            .hasMessageContaining("replicas");
        assertThatThrownBy(() -> new Helm(CHART).template().withName("genq").set("config.databaseUrl", "postgres://nope").call())
            .hasMessageContaining("databaseUrl");
        assertThatThrownBy(() -> new Helm(CHART).template().withName("genq").set("secretKeys.unknownKey", "x").call())
            .hasMessageContaining("unknownKey");
    }

    /**
     * No field the model of the pinned Kubernetes API does not know, at any depth: fabric8 keeps
     * those in each object's additional properties instead of failing, so they are looked for there.
     * Custom resources (KEDA, Prometheus Operator) have no model here; their shape is checked by the tests above.
     */
    private static void strictlyValid(HasMetadata object) {
        if (!(object instanceof GenericKubernetesResource)) {
            noUnknownFields(object, object.getKind());
        }
    }

    private static void noUnknownFields(Object node, String path) {
        if (node instanceof Collection<?> items) {
            int i = 0;
            for (Object item : items) {
                noUnknownFields(item, path + "[" + i++ + "]");
            }
            return;
        }
        if (node instanceof Map<?, ?> map) {
            map.forEach((k, v) -> noUnknownFields(v, path + "." + k));
            return;
        }
        if (!(node instanceof KubernetesResource)) {
            return;
        }
        for (Method getter : node.getClass().getMethods()) {
            if (getter.getParameterCount() != 0 || Modifier.isStatic(getter.getModifiers()) || !getter.getName().startsWith("get")
                || getter.getDeclaringClass() == Object.class) {
                continue;
            }
            Object value;
            try {
                value = getter.invoke(node);
            } catch (IllegalAccessException | InvocationTargetException e) {
                continue;
            }
            if (getter.getName().equals("getAdditionalProperties")) {
                assertThat((Map<?, ?>) value).as("fields the Kubernetes API does not know at %s", path).isNullOrEmpty();
            } else if (value != null) {
                noUnknownFields(value, path + "." + getter.getName().substring(3));
            }
        }
    }
}
