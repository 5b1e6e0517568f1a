package dev.chatrelay.loadgen.report;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** The figures of one run: the JSON line written to the results file, plus the verdict. */
public record RunResult(JsonObject json, long violations, List<String> firstViolations) {

  /** A run passes with no violation at all (gap, duplicate, structure, loss, unexpected close, error). */
  public boolean ok() {
    return violations == 0;
  }

  public double framesPerSecond() {
    return json.getJsonObject("figures").getDouble("frames_per_s");
  }

  public JsonObject figures() {
    return json.getJsonObject("figures");
  }

  public JsonArray violationSamples() {
    return new JsonArray(firstViolations);
  }
}
