package dev.chatrelay.loadgen.scenario;

import dev.chatrelay.loadgen.report.Measurement;
import java.util.Map;

/**
 * What a scenario hands back besides the shared stats: connections that got subscribed, frames
 * lost according to the history check, the measured window and scenario-specific figures.
 */
public record ScenarioOutcome(int connections, long lost, Measurement.Window window, Map<String, Object> extra) {
}
