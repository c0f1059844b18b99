/**
 * Twilio voice: a phone line answered by OpenCX through TwiML. {@link
 * dev.opencx.channel.twilio.voice.TwilioVoiceChannel} turns each call into a session and runs a
 * {@code <Gather input="speech dtmf">} turn loop, speaks replies with {@code <Say>} in the session's
 * language, re-prompts on silence or unclear speech, offers a keypad menu, and transfers the call
 * ({@code <Dial>} or {@code <Enqueue>}, see {@link dev.opencx.channel.twilio.voice.HandoffTarget})
 * when a person takes over.
 */
package dev.opencx.channel.twilio.voice;
