/** WhatsApp channel over the Meta Cloud API: webhooks, the Graph API, the 24-hour window. */
package dev.opencx.channel.whatsapp;
