/**
 * For people who extend OpenCX: the module SPI ({@link dev.opencx.spi.OpenCxModule}, {@link
 * dev.opencx.spi.ModuleContext}) and what extensions may read and write at run time ({@link
 * dev.opencx.spi.SessionAccess}). Types that extend one SPI live next to it instead: {@link
 * dev.opencx.event.ModuleEvent} with the events, {@link dev.opencx.outbox.OutboxHandler} with the
 * outbox, {@link dev.opencx.channel.ChannelContext} with channels, {@link
 * dev.opencx.handoff.HelpdeskContext} with helpdesks.
 */
package dev.opencx.spi;
