package dev.opencx.spring.boot;

import dev.opencx.channel.web.RestApiChannel;
import dev.opencx.channel.web.WebChannel;
import dev.opencx.helpdesk.inbox.web.InboxWeb;
import dev.opencx.http.servlet.OpenCxServlet;
import dev.opencx.webhook.Endpoint;
import jakarta.servlet.Servlet;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;

/**
 * Mounts OpenCX on the application's own servlet container (Tomcat, Jetty, …) through {@link
 * OpenCxServlet}, under {@code opencx.web.base-path}: the widget at {@code /widget.js} and {@code
 * /widget/*}, the REST API at {@code /api/*}, the inbox at {@code /inbox/*}, and every other
 * {@link Endpoint} bean (a provider's webhook) at its {@link Endpoint#mountPath() mount path}.
 * The application keeps every other path. See {@link OpenCxServlets} for the shutdown.
 */
@AutoConfiguration(after = OpenCxAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(Servlet.class)
public class OpenCxServletAutoConfiguration {

    @Bean
    OpenCxServlets opencxServlets(
            OpenCxProperties properties,
            ObjectProvider<WebChannel> web,
            ObjectProvider<RestApiChannel> api,
            ObjectProvider<InboxWeb> inbox,
            ApplicationContext context) {
        OpenCxProperties.Web p = properties.getWeb();
        OpenCxServlets servlets = new OpenCxServlets(p.getBasePath(), p.getMaxRequestBytes(), p.getDeferredTimeout());
        web.ifAvailable(w -> servlets.mountRoot("opencx-widget", w.handler(), "/widget.js", "/widget/*"));
        api.ifAvailable(a -> servlets.mount("opencx-api", a.mountPath(), a.handler()));
        inbox.ifAvailable(i -> servlets.mount("opencx-inbox", i.path(), i.handler()));
        for (Map.Entry<String, Endpoint> e :
                context.getBeansOfType(Endpoint.class).entrySet()) {
            Endpoint endpoint = e.getValue();
            if (endpoint instanceof WebChannel || endpoint instanceof RestApiChannel) {
                continue; // mounted above (or disabled)
            }
            if (endpoint.mountPath().equals("/")) {
                throw new IllegalStateException("the Endpoint bean '" + e.getKey()
                        + "' mounts at '/', which would take every path of the application:"
                        + " give it a mountPath like '/webhooks/" + e.getKey() + "'");
            }
            servlets.mount("opencx-" + e.getKey(), endpoint.mountPath(), endpoint.handler());
        }
        return servlets;
    }
}
