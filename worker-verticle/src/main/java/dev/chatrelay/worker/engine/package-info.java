/**
 * Assistant engines: the {@link dev.chatrelay.worker.engine.AssistantEngine} contract, the
 * deterministic {@link dev.chatrelay.worker.engine.ScriptedEngine} and the streaming
 * {@link dev.chatrelay.worker.engine.OpenAiCompatibleEngine}. No event-bus knowledge here.
 */
package dev.chatrelay.worker.engine;
