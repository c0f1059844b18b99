/** E-mail channel: IMAP in (IDLE with polling fallback), SMTP out, threading by Message-ID, reply extraction. */
package dev.opencx.channel.email;
