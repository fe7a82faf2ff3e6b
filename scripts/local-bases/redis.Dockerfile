# Stand-in for docker.io/library/redis (compose only): Debian's redis-server (and redis-sentinel), run as
# the redis user in /data, with protected mode off when no config file is given, as the official image.
ARG DEBIAN_BASE
FROM ${DEBIAN_BASE}
RUN apt-get update \
 && apt-get install -y --no-install-recommends redis-server redis-sentinel \
 && rm -rf /var/lib/apt/lists/* /var/cache/apt/* \
 && mkdir /data && chown redis:redis /data
COPY redis-entrypoint.sh /usr/local/bin/docker-entrypoint.sh
WORKDIR /data
VOLUME ["/data"]
EXPOSE 6379
ENTRYPOINT ["/usr/local/bin/docker-entrypoint.sh"]
CMD ["redis-server"]
