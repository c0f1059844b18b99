/**
 * For people who extend OpenCX outside {@code opencx-core}: the module SPI ({@link
 * dev.opencx.spi.OpenCxModule}, {@link dev.opencx.spi.ModuleContext}), what extensions may read and
 * write at run time ({@link dev.opencx.spi.SessionAccess}), and helpers for implementers and tools
 * ({@link dev.opencx.spi.InterceptorChain}, {@link dev.opencx.spi.Languages}). Unlike {@code
 * dev.opencx.internal}, these types are API: they follow the project's compatibility rules, and
 * modules other than core may use them. Types that extend one SPI live next to it instead: {@link
 * dev.opencx.event.ModuleEvent} with the events, {@link dev.opencx.outbox.OutboxHandler} with the
 * outbox, {@link dev.opencx.channel.ChannelContext} with channels, {@link
 * dev.opencx.handoff.HelpdeskContext} with helpdesks.
 */
package dev.opencx.spi;
