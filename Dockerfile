# syntax=docker/dockerfile:1
# Build: a static binary (pure-Go SQLite, no cgo).
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/langnghe ./cmd/langnghe \
 && mkdir -p /out/data

# Run: distroless static, non-root; the SQLite default lives in /data.
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/langnghe /usr/local/bin/langnghe
COPY --from=build --chown=nonroot:nonroot /out/data /data
WORKDIR /data
ENV LANGNGHE_HTTP_ADDR=0.0.0.0:8080
EXPOSE 8080
USER nonroot:nonroot
ENTRYPOINT ["/usr/local/bin/langnghe"]
CMD ["serve"]
