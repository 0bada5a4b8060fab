# Included by llamacpp.env's CMAKE_ARGS right after llama.cpp's own project() call (CMAKE_PROJECT_llama.cpp_INCLUDE).
# llama-cpp-python forces LLAMA_BUILD_COMMON on, which builds llama.cpp's common library (chat templates, argument
# parsing, cpp-httplib) that only its C++ tools use; the Python package loads only libllama and libggml*.
# Turned off here, as late as a CMake setting can be, so the build skips those sources.
set(LLAMA_BUILD_COMMON OFF CACHE BOOL "llama: build common utils library" FORCE)
