module github.com/talentbridge/platform/services/placements

go 1.26.8

require github.com/talentbridge/platform/shared v0.0.0

replace github.com/talentbridge/platform/shared => ../../shared
