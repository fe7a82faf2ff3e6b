# Stand-in for docker.io/library/postgres (compose only): Debian's PostgreSQL 15 and the part of the
# official entrypoint compose.yaml relies on (POSTGRES_USER, POSTGRES_DB, POSTGRES_HOST_AUTH_METHOD, the
# data in /var/lib/postgresql/data, pg_isready on the PATH).
ARG DEBIAN_BASE
FROM ${DEBIAN_BASE}
RUN apt-get update \
 && apt-get install -y --no-install-recommends postgresql-15 \
 && rm -rf /var/lib/apt/lists/* /var/cache/apt/*
ENV PATH=/usr/lib/postgresql/15/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    PGDATA=/var/lib/postgresql/data
COPY postgres-entrypoint.sh /usr/local/bin/docker-entrypoint.sh
VOLUME ["/var/lib/postgresql/data"]
EXPOSE 5432
STOPSIGNAL SIGINT
ENTRYPOINT ["/usr/local/bin/docker-entrypoint.sh"]
CMD ["postgres"]
