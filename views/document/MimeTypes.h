#pragma once
// MIME types the views exchange: a node kind dragged from the palette, and graph fragments on the clipboard.
namespace ffn::views {

inline constexpr const char* kNodeKindMimeType = "application/x-ffnlab-node-kind";  // UTF-8 kind name
inline constexpr const char* kGraphMimeType = "application/x-ffnlab-graph";         // graph JSON

}  // namespace ffn::views
