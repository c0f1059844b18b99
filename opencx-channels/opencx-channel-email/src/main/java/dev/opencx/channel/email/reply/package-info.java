/**
 * Reply extraction for inbound e-mails: {@link dev.opencx.channel.email.reply.ReplyExtractor} removes
 * quoted history (multilingual attribution lines, Outlook header blocks, {@code >} quotes, HTML
 * quote containers) and signatures from what a customer wrote, and returns the parts as an {@link
 * dev.opencx.channel.email.reply.ExtractedReply}.
 */
package dev.opencx.channel.email.reply;
