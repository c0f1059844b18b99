/** Twilio channels: SMS and WhatsApp via Twilio (webhooks and the Messages API) and voice (TwiML). */
package dev.opencx.channel.twilio;
