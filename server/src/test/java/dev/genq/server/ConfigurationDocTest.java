package dev.genq.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.annotation.EachProperty;
import io.micronaut.core.bind.annotation.Bindable;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * docs/configuration.md against the code: every setting genq reads (each {@code @ConfigurationProperties}
 * getter, each {@code @Value("${genq...}")}) has a row with its default, no row names a setting that
 * does not exist, every environment variable application.yml reads is in the table, and every
 * provider account setting is in docs/vendors.md.
 */
class ConfigurationDocTest {
    private static final Path ROOT = Path.of("..");
    private static final Pattern ROW = Pattern.compile("^\\| `(genq\\.[^`]+)` \\| ([^|]+) \\|", Pattern.MULTILINE);
    private static final Pattern VALUE = Pattern.compile("\\$\\{(genq\\.[a-z0-9.-]+):([^}]*)}");
    private static final Pattern ENV = Pattern.compile("\\$\\{(GENQ_[A-Z0-9_]+):");
    private static Set<Class<?>> configs;
    private static String doc;

    @BeforeAll
    static void read() throws IOException {
        configs = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("dev.genq")
            .stream().map(JavaClass::reflect)
            .filter(c -> c.isAnnotationPresent(ConfigurationProperties.class) || c.isAnnotationPresent(EachProperty.class))
            .collect(Collectors.toSet());
        doc = Files.readString(ROOT.resolve("docs/configuration.md"));
    }

    @Test
    void everySettingIsDocumentedWithItsDefault() throws IOException {
        Map<String, String> declared = declared();
        Map<String, String> documented = documented();
        String missing = declared.entrySet().stream().filter(e -> !e.getValue().equals(documented.get(e.getKey())))
            .map(e -> "| `" + e.getKey() + "` | " + e.getValue() + " | … |").collect(Collectors.joining("\n"));
        assertThat(missing).as("rows docs/configuration.md lacks, or whose default is not the code's").isEmpty();
        assertThat(declared).hasSizeGreaterThan(40); // the discovery found the settings, not nothing
    }

    @Test
    void theDocNamesNoSettingThatDoesNotExist() throws IOException {
        assertThat(declared().keySet()).containsAll(documented().keySet());
    }

    @Test
    void everyEnvironmentVariableOfTheDefaultsIsDocumented() throws IOException {
        Matcher m = ENV.matcher(Files.readString(ROOT.resolve("server/src/main/resources/application.yml"))
            + Files.readString(ROOT.resolve("api/src/main/resources/application-api.yml")));
        Set<String> variables = new TreeSet<>();
        while (m.find()) {
            variables.add(m.group(1));
        }
        assertThat(variables).isNotEmpty().allSatisfy(v -> assertThat(doc).contains("`" + v + "`"));
    }

    @Test
    void everyProviderAccountSettingIsInTheVendorsDoc() throws IOException {
        String vendors = Files.readString(ROOT.resolve("docs/vendors.md"));
        Set<String> settings = configs.stream().filter(c -> c.isAnnotationPresent(EachProperty.class))
            .flatMap(c -> Stream.of(c.getMethods())).filter(m -> m.getName().startsWith("set") && m.getParameterCount() == 1)
            .map(m -> kebab(m.getName().substring(3))).collect(Collectors.toCollection(TreeSet::new));
        assertThat(settings).isNotEmpty().allSatisfy(s -> assertThat(vendors).contains("`" + s + "`"));
    }

    /** Property → default as the doc writes it: {@code `5s`}, or {@code unset}. */
    private static Map<String, String> declared() throws IOException {
        Map<String, String> settings = new TreeMap<>();
        for (Class<?> c : configs) {
            ConfigurationProperties properties = c.getAnnotation(ConfigurationProperties.class);
            if (properties == null || !c.isInterface()) {
                continue;
            }
            for (Method m : c.getDeclaredMethods()) {
                String name = m.getName();
                String property = name.startsWith("get") ? name.substring(3) : name.startsWith("is") ? name.substring(2) : null;
                if (Modifier.isAbstract(m.getModifiers()) && m.getParameterCount() == 0 && property != null) {
                    Bindable bindable = m.getAnnotation(Bindable.class);
                    String value = bindable == null || bindable.defaultValue().isEmpty() ? null : bindable.defaultValue();
                    settings.put(properties.value() + "." + kebab(property), value == null ? "unset" : "`" + value + "`");
                }
            }
        }
        try (Stream<Path> modules = Files.list(ROOT)) {
            for (Path main : modules.map(module -> module.resolve("src/main/java")).filter(Files::isDirectory).toList()) {
                try (Stream<Path> sources = Files.walk(main)) {
                    for (Path source : sources.filter(p -> p.toString().endsWith(".java")).toList()) {
                        Matcher m = VALUE.matcher(Files.readString(source));
                        while (m.find()) {
                            settings.put(m.group(1), "`" + m.group(2) + "`");
                        }
                    }
                }
            }
        }
        return settings;
    }

    private static Map<String, String> documented() {
        Map<String, String> rows = new TreeMap<>();
        Matcher m = ROW.matcher(doc);
        while (m.find()) {
            rows.put(m.group(1), m.group(2).trim());
        }
        return rows;
    }

    private static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase();
    }
}
