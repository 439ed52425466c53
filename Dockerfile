# Build stage: the release binary, with the knowledge base built in.
FROM rust:1-bookworm AS build
WORKDIR /src
COPY . .
RUN cargo build --release --locked --bin rolebase

# Run stage: the binary alone. It uses the database DATABASE_URL names.
FROM debian:bookworm-slim
RUN useradd --system --home /nonexistent rolebase
COPY --from=build /src/target/release/rolebase /usr/local/bin/rolebase
USER rolebase
ENV ROLEBASE_BIND=0.0.0.0:8080
EXPOSE 8080
ENTRYPOINT ["rolebase"]
CMD ["serve"]
