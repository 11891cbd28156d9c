package io.nextbest.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RuleSetSourceTest {
  static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void contentHash_dependsOnContentNotOnOrder() {
    Map<String, byte[]> a = new LinkedHashMap<>();
    a.put("x.json", b("1"));
    a.put("dmn/y.dmn", b("2"));
    Map<String, byte[]> c = new LinkedHashMap<>();
    c.put("dmn/y.dmn", b("2"));
    c.put("x.json", b("1"));
    assertThat(RuleSetSource.of("a", a).contentHash())
        .isEqualTo(RuleSetSource.of("c", c).contentHash());
    assertThat(RuleSetSource.of("a", a).with("d", Map.of("x.json", b("3"))).contentHash())
        .isNotEqualTo(RuleSetSource.of("a", a).contentHash());
  }

  @Test
  void list_findsFilesByFolderAndSuffix() {
    RuleSetSource s =
        RuleSetSource.of("s", Map.of("drl/a.drl", b(""), "drl/b.txt", b(""), "dmn/c.dmn", b("")));
    assertThat(s.list("drl", ".drl")).containsExactly("drl/a.drl");
  }

  @Test
  void classpath_readsTheRuleSetFromInsideAJar(@TempDir Path dir) throws Exception {
    Path jar = dir.resolve("rules.jar");
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
      out.putNextEntry(new JarEntry("nextbest/ruleset/"));
      out.putNextEntry(new JarEntry("nextbest/ruleset/catalogue.json"));
      out.write(b("[]"));
      out.putNextEntry(new JarEntry("nextbest/ruleset/drl/a.drl"));
      out.write(b("package x;"));
    }
    try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null)) {
      RuleSetSource s = RuleSetSource.classpath("nextbest/ruleset", loader);
      assertThat(s.paths()).containsExactly("catalogue.json", "drl/a.drl");
      assertThat(s.text("drl/a.drl")).isEqualTo("package x;");
    }
  }

  @Test
  void directory_skipsHiddenFiles(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("catalogue.json"), "[]");
    Files.writeString(dir.resolve(".swp"), "x");
    assertThat(RuleSetSource.directory(dir, "d").paths()).containsExactly("catalogue.json");
  }
}
