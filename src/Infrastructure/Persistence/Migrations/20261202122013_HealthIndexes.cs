using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Scheduler.Infrastructure.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class HealthIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "ix_post_details_company_id_status_published_at",
                table: "post_details",
                columns: new[] { "company_id", "status", "published_at" });

            // Dropped only now: the company foreign key needs an index that starts with company_id at every moment.
            migrationBuilder.DropIndex(
                name: "ix_post_details_company_id_status",
                table: "post_details");

            migrationBuilder.CreateIndex(
                name: "ix_post_details_company_id_status_updated_at",
                table: "post_details",
                columns: new[] { "company_id", "status", "updated_at" });

            migrationBuilder.CreateIndex(
                name: "ix_post_details_platform_status",
                table: "post_details",
                columns: new[] { "platform", "status" });

            migrationBuilder.CreateIndex(
                name: "ix_post_attempts_outcome_finished_at",
                table: "post_attempts",
                columns: new[] { "outcome", "finished_at" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "ix_post_details_company_id_status",
                table: "post_details",
                columns: new[] { "company_id", "status" });

            migrationBuilder.DropIndex(
                name: "ix_post_details_company_id_status_published_at",
                table: "post_details");

            migrationBuilder.DropIndex(
                name: "ix_post_details_company_id_status_updated_at",
                table: "post_details");

            migrationBuilder.DropIndex(
                name: "ix_post_details_platform_status",
                table: "post_details");

            migrationBuilder.DropIndex(
                name: "ix_post_attempts_outcome_finished_at",
                table: "post_attempts");
        }
    }
}
