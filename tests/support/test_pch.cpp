// The translation unit that builds the shared precompiled header
// (tests/CMakeLists.txt, wiresim_test_pch); it has no code of its own.
