package rest

import (
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
)

// maxAvatarParts bounds how many parts are skipped looking for the file.
const maxAvatarParts = 4

// avatarPart returns the reader of the "avatar" part of a multipart body.
// Parts are streamed, never spooled to disk as ParseMultipartForm would.
func avatarPart(body io.Reader, boundary string) (io.Reader, error) {
	if boundary == "" {
		return nil, badRequest("multipart body has no boundary", "avatar")
	}
	mr := multipart.NewReader(body, boundary)
	for range maxAvatarParts {
		part, err := mr.NextPart()
		if err != nil {
			var tooLarge *http.MaxBytesError
			if errors.As(err, &tooLarge) {
				return nil, avatarReadError(err, tooLarge.Limit)
			}
			return nil, badRequest(fmt.Sprintf("multipart body has no %q file", "avatar"), "avatar")
		}
		if part.FormName() == "avatar" {
			return part, nil
		}
	}
	return nil, badRequest(`multipart body has no "avatar" file`, "avatar")
}
