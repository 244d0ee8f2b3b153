# paperbot: `docker build -t paperbot .` then
# `docker run -p 8000:8000 --env-file .env -v paperbot-data:/data paperbot`

FROM python:3.11-slim AS build
RUN python -m venv /venv
ENV PATH=/venv/bin:$PATH PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
COPY requirements.lock pyproject.toml README.md ./
COPY deploy/install.sh deploy/install.sh
COPY app ./app
RUN sh deploy/install.sh

FROM python:3.11-slim
# git: only for `paperbot demo`, whose local GitHub stand-in keeps real git objects
RUN apt-get update && apt-get install -y --no-install-recommends git \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --create-home --uid 10001 paperbot \
    && mkdir /data && chown paperbot:paperbot /data
COPY --from=build /venv /venv
ENV PATH=/venv/bin:$PATH PYTHONUNBUFFERED=1 PAPERBOT_DATA_DIR=/data
VOLUME ["/data"]
USER paperbot
WORKDIR /home/paperbot
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=15s --retries=3 \
    CMD ["python", "-c", "import urllib.request as u; u.urlopen('http://127.0.0.1:8000/healthz', timeout=4)"]
CMD ["paperbot", "serve", "--host", "0.0.0.0", "--port", "8000"]
