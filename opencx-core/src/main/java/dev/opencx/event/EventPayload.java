package dev.opencx.event;

import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * What happened in a session. Each payload is an immutable record; the store wraps it in a {@link
 * SessionEvent} with a sequence number. Payloads record the <em>why</em> of every decision (scores,
 * thresholds, matched items) so that inspect mode, analytics and insights can read them later.
 *
 * <p>A payload is one of three things:
 *
 * <ul>
 *   <li>a {@link CoreEvent}: the closed vocabulary core writes (messages, decisions, deliveries);
 *   <li>a {@link ModuleEvent}: a type a module registered under a namespaced name with {@link
 *       dev.opencx.spi.ModuleContext#registerEventType};
 *   <li>an {@link UnknownEvent}: a stored payload whose type this reader does not know (written by a
 *       module that is not registered here, or by a later version). It keeps its raw JSON, so
 *       nothing is lost; readers skip it or show it generically.
 * </ul>
 *
 * <p>Payloads are stored as JSON with a {@code type} property (see {@link
 * dev.opencx.store.EventCodec}).
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
public sealed interface EventPayload permits CoreEvent, ModuleEvent, UnknownEvent {}
