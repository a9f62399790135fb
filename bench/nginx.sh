#!/bin/sh
# Standalone nginx for the fetch benchmarks: the fastest server we can get,
# so the numbers measure the client, not the server.
#   bench/nginx.sh start   -> prints the base URL (http://127.0.0.1:PORT)
#   bench/nginx.sh stop
# Serves /2b ("ok") and /64k (65536 bytes) on 127.0.0.1, keep-alive.
# State lives in $EDDY_NGINX_DIR (default /tmp/eddy-bench-nginx-$UID);
# "start" on a running instance just prints its URL, "stop" on none is a no-op.
set -eu

DIR=${EDDY_NGINX_DIR:-${TMPDIR:-/tmp}/eddy-bench-nginx-$(id -u)}

running() {
    [ -f "$DIR/nginx.pid" ] && kill -0 "$(cat "$DIR/nginx.pid")" 2>/dev/null
}

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

start() {
    if running; then
        cat "$DIR/url"
        return
    fi
    if ! command -v nginx >/dev/null 2>&1 && [ ! -x /usr/sbin/nginx ]; then
        echo "nginx.sh: installing nginx-light" >&2
        apt-get install -y nginx-light >&2
    fi
    NGINX=$(command -v nginx || echo /usr/sbin/nginx)
    rm -rf "$DIR"
    mkdir -p "$DIR/www" "$DIR/tmp"
    # as root, workers run as "nobody" and must be able to read the files
    chmod 755 "$DIR" "$DIR/www"
    printf ok > "$DIR/www/2b"
    head -c 65536 /dev/zero | tr '\0' 'x' > "$DIR/www/64k"

    # A free port can be taken between probing and binding: retry a few times.
    for attempt in 1 2 3 4 5; do
        PORT=$(free_port)
        cat > "$DIR/nginx.conf" <<EOF
worker_processes 1;
error_log $DIR/error.log warn;
events { worker_connections 1024; }
http {
    access_log off;
    # Debian's compiled-in temp paths are under /var/lib/nginx: keep ours local
    client_body_temp_path $DIR/tmp/body;
    proxy_temp_path $DIR/tmp/proxy;
    fastcgi_temp_path $DIR/tmp/fastcgi;
    uwsgi_temp_path $DIR/tmp/uwsgi;
    scgi_temp_path $DIR/tmp/scgi;
    keepalive_timeout 120s;
    keepalive_requests 100000;
    sendfile on;
    tcp_nopush off;
    tcp_nodelay on;
    default_type application/octet-stream;
    server {
        listen 127.0.0.1:$PORT;
        root $DIR/www;
        location = /2b { default_type text/plain; }
        location = /64k { }
    }
}
EOF
        if "$NGINX" -p "$DIR" -e "$DIR/error.log" -c "$DIR/nginx.conf" \
                -g "daemon on; pid $DIR/nginx.pid;" 2>>"$DIR/error.log"; then
            echo "http://127.0.0.1:$PORT" > "$DIR/url"
            # wait until the pid file exists and the port answers
            i=0
            while [ $i -lt 50 ]; do
                if running && curl -sf "http://127.0.0.1:$PORT/2b" >/dev/null 2>&1; then
                    cat "$DIR/url"
                    return
                fi
                sleep 0.1
                i=$((i + 1))
            done
        fi
    done
    echo "nginx.sh: failed to start nginx; see $DIR/error.log" >&2
    cat "$DIR/error.log" >&2 || true
    exit 1
}

stop() {
    if running; then
        pid=$(cat "$DIR/nginx.pid")
        kill -QUIT "$pid"
        i=0
        while kill -0 "$pid" 2>/dev/null && [ $i -lt 50 ]; do
            sleep 0.1
            i=$((i + 1))
        done
        kill -0 "$pid" 2>/dev/null && kill -TERM "$pid"
    fi
    rm -rf "$DIR"
}

case "${1:-}" in
    start) start ;;
    stop) stop ;;
    *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
