# Stand-in for nginxinc/nginx-unprivileged: Debian's nginx, the paths docker/web.Dockerfile uses
# (/etc/nginx/nginx.conf, mime.types, /usr/share/nginx/html) and wget for its HEALTHCHECK. Stock nginx
# has no brotli module either, so the web image's .br handling is tested as it runs upstream.
ARG DEBIAN_BASE
FROM ${DEBIAN_BASE}
RUN apt-get update \
 && apt-get install -y --no-install-recommends nginx wget \
 && rm -rf /var/lib/apt/lists/* /var/cache/apt/* \
 && rm -f /etc/nginx/sites-enabled/* \
 && mkdir -p /usr/share/nginx/html
EXPOSE 8080
STOPSIGNAL SIGQUIT
CMD ["nginx", "-g", "daemon off;"]
