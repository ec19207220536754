package domain

import "github.com/talentbridge/platform/services/matching/internal/scoring"

// This file maps the read models to what package scoring reads, once for
// both users of scores: the recommendations (app.Directory) and the
// rounds (package allocation).

// ScoringApplicant is the part of the profile scoring reads.
func (p Profile) ScoringApplicant() scoring.Applicant {
	return scoring.Applicant{
		ID: p.ID, Kind: p.Kind, HomeCountry: p.HomeCountry, DegreeLevel: p.DegreeLevel, BirthYear: p.BirthYear,
		Fields: p.Fields, Skills: p.Skills, Statement: p.Statement, Languages: p.Languages,
		AvailableFrom: p.AvailableFrom, AvailableTo: p.AvailableTo,
		Preferences: scoring.Preferences{ProgramKinds: p.ProgramKinds, HostRegions: p.HostRegions},
	}
}

// ScoringProgram is the part of the program scoring reads.
func (p Program) ScoringProgram() scoring.Program {
	return scoring.Program{
		ID: p.ID, Title: p.Title, Description: p.Description, Kind: p.Kind, HostCountry: p.HostCountry,
		Region: p.Region, Fields: p.Fields, Skills: p.Skills, StartDate: p.StartDate, EndDate: p.EndDate,
		ApplicationDeadline: p.ApplicationDeadline, Eligibility: p.Eligibility,
	}
}
