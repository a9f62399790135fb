"""Shared by the test servers: self-signed certificates generated at start."""
import os
import subprocess


def self_signed(directory, name, subject="/CN=127.0.0.1", san="IP:127.0.0.1,DNS:localhost"):
    """Writes <name>.pem and <name>.key (P-256, valid 2 days) into directory; returns their
    paths (cert, key). The key is world-readable: nginx workers run unprivileged under root."""
    key, cert = os.path.join(directory, name + ".key"), os.path.join(directory, name + ".pem")
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
         "-nodes", "-keyout", key, "-out", cert, "-days", "2", "-subj", subject,
         "-addext", "subjectAltName=" + san],
        check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.chmod(key, 0o644)
    return cert, key
