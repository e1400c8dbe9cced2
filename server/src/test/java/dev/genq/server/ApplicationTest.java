package dev.genq.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ApplicationTest {
    @Test
    void unsetRolesMeanAllInOne() {
        assertThat(Application.roles(null)).containsExactlyInAnyOrder("api", "worker", "scheduler");
        assertThat(Application.roles(" ")).containsExactlyInAnyOrder("api", "worker", "scheduler");
    }

    @Test
    void rolesAreReadCommaSeparatedAndForgivingOfCaseAndSpace() {
        assertThat(Application.roles("Worker, scheduler")).containsExactly("worker", "scheduler");
    }

    @Test
    void anUnknownRoleStopsTheStart() {
        assertThatThrownBy(() -> Application.roles("api,web")).hasMessageContaining("web");
    }
}
