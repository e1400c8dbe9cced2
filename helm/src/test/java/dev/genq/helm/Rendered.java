package dev.genq.helm;

import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.TemplateCommand;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** The objects a rendering of the chart made, and the ones genq's tests look into. */
record Rendered(List<HasMetadata> objects) {
    private static final Set<String> KINDS = Set.of("Deployment", "PodDisruptionBudget", "ConfigMap", "Service", "HorizontalPodAutoscaler",
        "NetworkPolicy", "ScaledObject", "ServiceMonitor", "PrometheusRule");

    /** Renders the chart; every object must be of a kind the chart is expected to make, and none a Secret. */
    static Rendered of(TemplateCommand template) {
        List<HasMetadata> objects = new ArrayList<>();
        for (String document : template.call().split("(?m)^---\\s*$")) {
            if (document.lines().anyMatch(l -> l.startsWith("kind:"))) {
                HasMetadata object = Serialization.unmarshal(document, HasMetadata.class);
                assertThat(KINDS).as("a kind the chart is expected to render").contains(object.getKind());
                objects.add(object);
            }
        }
        assertThat(objects).noneMatch(o -> o instanceof Secret);
        return new Rendered(objects);
    }

    /** How many objects of each kind. */
    Map<String, Long> kinds() {
        return objects.stream().collect(Collectors.groupingBy(HasMetadata::getKind, Collectors.counting()));
    }

    List<String> names(String kind) {
        return objects.stream().filter(o -> o.getKind().equals(kind)).map(o -> o.getMetadata().getName()).toList();
    }

    Deployment deployment(String role) {
        return objects.stream().filter(o -> o instanceof Deployment d && d.getMetadata().getName().equals("genq-" + role))
            .map(Deployment.class::cast).findFirst().orElseThrow();
    }

    Container container(String role) {
        return deployment(role).getSpec().getTemplate().getSpec().getContainers().getFirst();
    }

    ConfigMap configMapObject(String name) {
        return objects.stream().filter(o -> o instanceof ConfigMap && o.getMetadata().getName().equals(name)).map(ConfigMap.class::cast)
            .findFirst().orElseThrow();
    }

    Map<String, String> configMap(String name) {
        return configMapObject(name).getData();
    }
}
