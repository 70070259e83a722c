# The desk image GoReleaser builds (dockers_v2 in .goreleaser.yaml): it copies
# the binary it built for each platform into $TARGETPLATFORM/.
FROM alpine:3.22
RUN apk add --no-cache git
ARG TARGETPLATFORM
COPY $TARGETPLATFORM/desk /usr/bin/desk
ENTRYPOINT ["/usr/bin/desk"]
