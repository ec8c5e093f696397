/* Placeholder translation unit so mockllm_http links before the server lands. */
typedef int mllm_http_placeholder_unused;
