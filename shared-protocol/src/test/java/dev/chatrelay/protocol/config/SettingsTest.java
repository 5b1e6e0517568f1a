package dev.chatrelay.protocol.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chatrelay.protocol.config.ConfigSource.InvalidConfigException;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SettingsTest {

  @Test
  void everyNameIsDeclaredOnceWithADocAndAReader() {
    Set<String> names = new HashSet<>();
    for (Setting s : Settings.all()) {
      assertTrue(names.add(s.name()), "declared twice: " + s.name());
      assertFalse(s.doc().isBlank(), s.name() + " has no doc");
      assertFalse(s.readers().isEmpty(), s.name() + " is read by nobody");
    }
    assertTrue(names.size() >= 60, "the registry holds every setting: " + names.size());
  }

  @Test
  void integerDefaultsLieWithinTheirBounds() {
    for (Setting s : Settings.all()) {
      if (s.type() == Setting.Type.INTEGER && s.fallback() != null) {
        long v = s.longDefault();
        assertTrue(v >= s.min() && v <= s.max(), s.name() + "=" + v + " outside " + s.bounds());
      }
    }
  }

  @Test
  void settingsReadByTwoRolesHaveOneDefault() {
    assertEquals(15_000, Settings.BUS_TIMEOUT_MS.longDefault());
    assertEquals(Set.of(Setting.Reader.GATEWAY, Setting.Reader.WORKER),
        Settings.BUS_TIMEOUT_MS.readers());
    assertEquals(50, Settings.BUS_RETRY_MS.longDefault());
    assertEquals(Set.of(Setting.Reader.RELAY, Setting.Reader.WORKER),
        Settings.JOB_LEASE_MS.readers());
  }

  @Test
  void aSourceReadsTheDeclaredDefaultWhenUnset() {
    ConfigSource empty = ConfigSource.of(Map.of());
    assertEquals(15_000, empty.longValue(Settings.BUS_TIMEOUT_MS));
    assertEquals("cr:", empty.string(Settings.REDIS_KEY_PREFIX));
    assertFalse(empty.bool(Settings.DEV_TOKENS));
    assertNull(empty.raw(Settings.REDIS_URL));
    assertEquals(7, empty.intValue(Settings.GATEWAY_INSTANCES, 7), "computed default");
  }

  @Test
  void aSourceEnforcesTheDeclaredBoundsNamingTheVariable() {
    ConfigSource source = ConfigSource.of(Map.of("RELAY_JOB_LEASE_MS", "2"));
    InvalidConfigException e = assertThrows(InvalidConfigException.class,
        () -> source.longValue(Settings.JOB_LEASE_MS));
    assertEquals("invalid RELAY_JOB_LEASE_MS=2: expected between 3 and 86400000", e.getMessage());
    assertEquals(3, ConfigSource.of(Map.of("RELAY_JOB_LEASE_MS", "3"))
        .longValue(Settings.JOB_LEASE_MS));
  }

  @Test
  void readingASettingAsTheWrongTypeFails() {
    ConfigSource empty = ConfigSource.of(Map.of());
    assertThrows(IllegalStateException.class, () -> empty.longValue(Settings.REDIS_KEY_PREFIX));
    assertThrows(IllegalStateException.class, () -> empty.bool(Settings.SHARDS));
    assertThrows(IllegalStateException.class, () -> empty.longValue(Settings.GATEWAY_INSTANCES),
        "a computed default must be passed by the reader");
  }

  @Test
  void aDeclarationWithADefaultOutsideItsBoundsIsRefused() {
    assertThrows(IllegalArgumentException.class,
        () -> Setting.integer("RELAY_X_MS", 0, 1, 10, "doc", Setting.Reader.RELAY));
    assertThrows(IllegalArgumentException.class,
        () -> Setting.integer("relay_x", 1, 1, 10, "doc", Setting.Reader.RELAY));
    assertThrows(IllegalArgumentException.class, () -> Setting.integer("RELAY_X", 1, 1, 10, "doc"));
  }

  @Test
  void theTableHasOneRowPerSettingAndMarksSecrets() {
    String table = SettingsDocs.table(Settings.all());
    for (Setting s : Settings.all()) {
      assertTrue(table.contains("| `" + s.name() + "` |"), s.name());
    }
    assertTrue(table.contains("| `RELAY_BUS_TIMEOUT_MS` | 15000 | 1..600000 | gateway, worker |"),
        table);
    assertTrue(table.contains("**secret**: bearer token of the admin API"), table);
    String known = SettingsDocs.knownEnv(Settings.all());
    assertEquals(Settings.all().size(),
        known.lines().filter(l -> !l.startsWith("#") && !l.isBlank()).count());
  }

  @Test
  void unknownNamesAreTheRelayNamesNoSettingDeclares() {
    assertEquals(java.util.List.of("RELAY_BUS_TIMEOUT", "RELAY_NOPE"), Settings.unknown(
        java.util.List.of("RELAY_NOPE", "PATH", "RELAY_BUS_TIMEOUT_MS", "RELAY_BUS_TIMEOUT")));
  }

  @Test
  void spliceReplacesOnlyTheMarkedBlock() {
    String readme = "intro\n" + SettingsDocs.BEGIN + "\nold\n" + SettingsDocs.END + "\nrest\n";
    String spliced = SettingsDocs.spliceReadme(readme, Settings.all());
    assertTrue(spliced.startsWith("intro\n" + SettingsDocs.BEGIN + "\n<!-- generated"));
    assertTrue(spliced.endsWith("|\n" + SettingsDocs.END + "\nrest\n"));
    assertFalse(spliced.contains("\nold\n"));
    assertEquals(spliced, SettingsDocs.spliceReadme(spliced, Settings.all()), "idempotent");
    assertThrows(IllegalArgumentException.class,
        () -> SettingsDocs.spliceReadme("no markers", Settings.all()));
  }
}
